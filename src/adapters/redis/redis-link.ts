import type { ScriptReply } from './redis-scripts.ts';

/** One of our scripts (redis-scripts.ts): the keys of one room, then its arguments. */
type Script = (keys: readonly string[], args: readonly string[]) => Promise<ScriptReply>;

/** The commands the engine sends. Each touches the keys of one room only: one cluster slot. */
export type RoomCommands = Readonly<{
  hubbubPublish: Script;
  hubbubJoin: Script;
  hubbubHistory: Script;
  hubbubReadAfter: Script;
  hubbubPresence: Script;
  hGetAll(key: string): Promise<Readonly<Record<string, string>>>;
}>;

/** A room channel's listener: each payload PUBLISHed on it. */
export type ChannelListener = (raw: string) => void;

/**
 * What the engine needs of Redis, whether one server (`SingleRedisLink`) or a cluster
 * (`ClusterRedisLink`): commands, PUB/SUB of room channels, and whether Redis can be reached.
 */
export interface RedisLink {
  readonly commands: RoomCommands;
  /** Commands can be sent now; when not, the engine refuses at once (`unavailable`). */
  readonly commandsReady: boolean;
  /** Every part of Redis this process needs is reachable now: what `/readyz` reports. */
  readonly available: boolean;
  /** Connects; resolves once connected, and keeps trying (in the background) until then. */
  connect(): Promise<void>;
  close(): Promise<void>;
  /** Resolves once Redis confirmed the subscription; waits (does not fail) while Redis is away. */
  subscribe(channel: string, listener: ChannelListener): Promise<void>;
  unsubscribe(channel: string, listener: ChannelListener): Promise<void>;
}

/** What the engine does when a connection comes back after it was lost. */
export type LinkReturns = Readonly<{
  /** Commands reach Redis again: this process's presence is written again. */
  commands: () => void;
  /** PUB/SUB is back: each channel reads what was published while it was away. */
  subscriber: () => void;
}>;
