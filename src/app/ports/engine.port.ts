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
  /**
   * This process now has `connections` connections of `name` in `room` (0 when it has none):
   * a shared engine keeps that (refreshing it while the process lives) and tells the others.
   */
  announce(room: RoomName, name: string, connections: number): void;
  /**
   * The other processes' presence in `room`: what each has now, then every change (a process
   * that died is reported with 0 connections once its presence expires), until the returned
   * call. An engine with no other process (memory) reports nothing.
   */
  watchPresence(room: RoomName, listener: (presence: NodePresence) => void): () => void;
  /** Connects to the store; a shared engine keeps trying in the background until it can. */
  open(): Promise<void>;
  /** Lets go of the store and of every subscription. */
  close(): Promise<void>;
  /** The store can be reached now: `/readyz` is not ready while it cannot. */
  readonly available: boolean;
}

/** One process's count of the connections of `name` in `room` (presence across processes). */
export type NodePresence = Readonly<{
  room: RoomName;
  /** The process, unique among those sharing the store. */
  node: string;
  name: string;
  connections: number;
}>;

/** The engine holds as many rooms as it may, none of which it can forget: a new one is refused. */
export class RoomLimitError extends Error {
  override readonly name = 'RoomLimitError';
}
