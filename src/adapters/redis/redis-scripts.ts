import { type CommandParser, defineScript } from 'redis';
import { historyLua } from './history.lua.ts';
import { joinLua } from './join.lua.ts';
import { presenceLua } from './presence.lua.ts';
import { publishLua } from './publish.lua.ts';
import { readAfterLua } from './read-after.lua.ts';

/** A reply of our scripts: Lua tables of strings and numbers (false comes as null). */
export type ScriptReply = readonly (string | number | null)[];

/** A script called as `client.NAME(keys, args)`; node-redis loads it and calls it by its SHA1. */
const script = (source: string, numberOfKeys: number) =>
  defineScript({
    NUMBER_OF_KEYS: numberOfKeys,
    SCRIPT: source,
    parseCommand(parser: CommandParser, keys: readonly string[], args: readonly string[]) {
      for (const key of keys) parser.pushKey(key);
      parser.push(...args);
    },
    transformReply: (reply: unknown) => reply as ScriptReply,
  });

export const SCRIPTS = {
  hubbubPublish: script(publishLua, 3),
  hubbubJoin: script(joinLua, 2),
  hubbubHistory: script(historyLua, 2),
  hubbubReadAfter: script(readAfterLua, 2),
  hubbubPresence: script(presenceLua, 1),
};
