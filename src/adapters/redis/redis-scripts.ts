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

/**
 * Loads every script into the Redis of a connection that just became ready, before any other
 * command can go out on it. A script Redis does not know costs node-redis a NOSCRIPT and an EVAL
 * sent only after the commands queued meanwhile, so a room channel's first read (which must come
 * before this process's later commands) could be overtaken by them.
 */
export const loadScripts = (
  connection: Readonly<{ scriptLoad(script: string): Promise<unknown> }>,
) => {
  for (const { SCRIPT } of Object.values(SCRIPTS)) connection.scriptLoad(SCRIPT).catch(() => {});
};
