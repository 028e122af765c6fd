import type { Seq } from '../../domain/index.ts';
import type { Epoch, JoinRequest, RoomName } from '../../domain/rooms/index.ts';

/** A chat message as a room stores and sends it (PROTOCOL-v2 `message`). */
export type RoomMessage = Readonly<{
  room: RoomName;
  seq: Seq;
  epoch: Epoch;
  text: string;
  /** The sender's user name. */
  from: string;
  /** Unix time in milliseconds, the server's clock. */
  at: number;
  /** The sender's client message id, when it gave one. */
  id?: string;
}>;

/** A `send` to be stored: the engine gives it its seq and epoch. */
export type SendDraft = Readonly<{
  room: RoomName;
  text: string;
  from: string;
  at: number;
  id?: string;
}>;

/**
 * What became of a send: stored as `message`, or (`repeat`) the same user name already sent
 * this id to this room within the dedupe window, and `message` is that first one, not stored
 * or delivered again.
 */
export type Stored = Readonly<{ message: RoomMessage; repeat: boolean }>;

/** The answer to a `join`: where the room is, and what to send first (PROTOCOL-v2 `joined`). */
export type JoinAnswer = Readonly<{
  epoch: Epoch;
  /** The room's latest seq, 0 if it has none: live messages continue after it. */
  seq: Seq;
  /** Present when the join asked to resume (`since`). */
  recovered?: boolean;
  messages: readonly RoomMessage[];
}>;

/** How long and how much a room keeps (`--history-size`, `--history-ttl-ms`, `--dedupe-window-ms`). */
export type EngineLimits = Readonly<{
  historySize: number;
  historyTtlMs: number;
  dedupeWindowMs: number;
}>;

/**
 * Where rooms live: it numbers each room's messages (the core never mints a seq or an epoch),
 * keeps each room's bounded history, answers joins and history pages, deduplicates client
 * ids, and delivers each room's messages live, in seq order, to whoever listens. The embedded
 * engine keeps all of it in memory; a shared one (Redis) does the same across processes.
 */
export interface Engine {
  publish(draft: SendDraft): Promise<Stored>;
  /** Where `room` is, with the messages a join asks for (resumed by the recovery rule). */
  join(room: RoomName, request: JoinRequest): Promise<JoinAnswer>;
  /** Up to `limit` of the newest messages with seq < `before` (all held when omitted), ascending. */
  history(room: RoomName, limit: number, before?: Seq): Promise<readonly RoomMessage[]>;
  /** Delivers every message of `room` stored from now on, in seq order, until the returned call. */
  subscribe(room: RoomName, listener: (message: RoomMessage) => void): () => void;
}

/** The engine holds as many rooms as it may, none of which it can forget: a new one is refused. */
export class RoomLimitError extends Error {
  override readonly name = 'RoomLimitError';
}
