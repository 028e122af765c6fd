import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { Clock } from '../../app/ports/clock.port.ts';
import type {
  Engine,
  EngineLimits,
  JoinAnswer,
  RoomMessage,
  SendDraft,
  Stored,
} from '../../app/ports/engine.port.ts';
import { RoomLimitError } from '../../app/ports/engine.port.ts';
import { TOKENS } from '../../app/tokens.ts';
import type { Seq } from '../../domain/index.ts';
import {
  dedupe,
  dedupeKey,
  type Epoch,
  type FirstSend,
  type JoinRequest,
  type RoomName,
  recover,
} from '../../domain/rooms/index.ts';
import { MessageRing } from './message-ring.ts';

/** The engine's own limits, as the memory module binds them. */
export const MEMORY_ENGINE_LIMITS = Symbol.for('hubbub.memory.EngineLimits');

/** Client ids remembered for dedupe at most, all rooms together (about 20 MB). */
export const MAX_REMEMBERED_IDS = 100_000;

/** The limits of every engine, and how many rooms this one keeps (`--max-rooms`). */
export type MemoryEngineLimits = EngineLimits & Readonly<{ maxRooms: number }>;

type Room = {
  readonly epoch: Epoch;
  latest: Seq;
  /** When its latest message was stored: its history expires `historyTtlMs` after. */
  lastAt: number;
  readonly held: MessageRing<RoomMessage>;
  readonly listeners: Set<(message: RoomMessage) => void>;
};

/**
 * The embedded engine: every room in this process's memory. Its epochs are new with every
 * process (a restart restarts the numbering, and resumes across it answer `recovered: false`).
 */
// No #private members: esbuild (tsx) lowers them to WeakMap lookups in decorated classes.
@injectable()
export class MemoryEngine implements Engine {
  private readonly rooms = new Map<RoomName, Room>();
  /** First sends with a client id, oldest first (a Map keeps insertion order), with their epoch. */
  private readonly firstSends = new Map<string, FirstSend & { epoch: Epoch }>();
  /** Unique to this process: epochs of two runs never match. */
  private readonly boot = randomUUID().slice(0, 8);
  private epochs = 0;

  constructor(
    @inject(MEMORY_ENGINE_LIMITS) private readonly limits: MemoryEngineLimits,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async publish(draft: SendDraft): Promise<Stored> {
    const room = this.roomFor(draft.room);
    const now = this.clock.now();
    this.forgetOldSends(now);
    const key = draft.id === undefined ? undefined : dedupeKey(draft.room, draft.from, draft.id);
    if (key !== undefined) {
      const first = this.firstSends.get(key);
      // A room forgotten and made again has a new numbering: an id sent before it is fresh.
      const sameNumbering = first?.epoch === room.epoch ? first : undefined;
      const answer = dedupe(sameNumbering, now, this.limits.dedupeWindowMs);
      if (answer.kind === 'repeat') {
        return { message: this.repeated(room, draft, answer.seq), repeat: true };
      }
    }
    this.expire(room, now);
    room.latest += 1;
    room.lastAt = now;
    const message: RoomMessage = {
      room: draft.room,
      seq: room.latest,
      epoch: room.epoch,
      text: draft.text,
      from: draft.from,
      at: draft.at,
      ...(draft.id === undefined ? {} : { id: draft.id }),
    };
    room.held.push(message);
    if (key !== undefined) {
      this.firstSends.delete(key);
      this.firstSends.set(key, { seq: message.seq, at: now, epoch: room.epoch });
      // Bounded whatever the send rate: past the cap the oldest ids are forgotten first.
      if (this.firstSends.size > MAX_REMEMBERED_IDS) {
        const oldest = this.firstSends.keys().next().value;
        if (oldest !== undefined) this.firstSends.delete(oldest);
      }
    }
    for (const listener of room.listeners) listener(message);
    return { message, repeat: false };
  }

  async join(roomName: RoomName, request: JoinRequest): Promise<JoinAnswer> {
    const room = this.roomFor(roomName);
    this.expire(room, this.clock.now());
    // Only what the answer can use: the newest `history`, and everything after `since`.
    const wanted = Math.min(
      request.since === undefined ? room.latest + 1 : request.since.seq + 1,
      room.latest + 1 - (request.history ?? 0),
    );
    const window = {
      epoch: room.epoch,
      latest: room.latest,
      messages: room.held.range(wanted, room.latest + 1),
    };
    return { epoch: room.epoch, seq: room.latest, ...recover(window, request) };
  }

  async history(roomName: RoomName, limit: number, before?: Seq): Promise<readonly RoomMessage[]> {
    const room = this.rooms.get(roomName); // a read does not make a room, nor keep it
    if (room === undefined || limit <= 0) return [];
    this.expire(room, this.clock.now());
    const until = Math.min(before ?? room.latest + 1, room.latest + 1);
    return room.held.range(until - limit, until);
  }

  subscribe(roomName: RoomName, listener: (message: RoomMessage) => void): () => void {
    const room = this.roomFor(roomName);
    room.listeners.add(listener);
    return () => room.listeners.delete(listener);
  }

  /** One process: nobody else to tell of presence. */
  announce(): void {}

  watchPresence(): () => void {
    return () => {};
  }

  readonly available = true;

  async open(): Promise<void> {}

  async close(): Promise<void> {}

  /**
   * The room, made on first use. Rooms are kept in the order they were last used (a Map keeps
   * insertion order): past `maxRooms`, the least recently used one without listeners is
   * forgotten (it gets a new epoch if it comes back), and when every room has listeners a new
   * one is refused.
   */
  private roomFor(name: RoomName): Room {
    const known = this.rooms.get(name);
    if (known !== undefined) {
      this.rooms.delete(name);
      this.rooms.set(name, known);
      return known;
    }
    if (this.rooms.size >= this.limits.maxRooms) this.forgetOneRoom();
    this.epochs += 1;
    const room: Room = {
      epoch: `${this.boot}-${this.epochs.toString(36)}`,
      latest: 0,
      lastAt: this.clock.now(),
      held: new MessageRing(this.limits.historySize),
      listeners: new Set(),
    };
    this.rooms.set(name, room);
    return room;
  }

  private forgetOneRoom(): void {
    for (const [name, room] of this.rooms) {
      if (room.listeners.size > 0) continue;
      this.rooms.delete(name);
      return;
    }
    throw new RoomLimitError(`every one of the ${this.limits.maxRooms} rooms has members`);
  }

  /** A room's history goes `historyTtlMs` after its last message; its numbering stays. */
  private expire(room: Room, now: number): void {
    if (room.held.size > 0 && now - room.lastAt >= this.limits.historyTtlMs) room.held.clear();
  }

  /** The first send a repeat stands for: from history, or rebuilt from what is remembered. */
  private repeated(room: Room, draft: SendDraft, seq: Seq): RoomMessage {
    const [held] = room.held.range(seq, seq + 1);
    return held ?? { ...draft, seq, epoch: room.epoch };
  }

  private forgetOldSends(now: number): void {
    for (const [key, first] of this.firstSends) {
      if (now - first.at < this.limits.dedupeWindowMs) return;
      this.firstSends.delete(key);
    }
  }
}
