import type { RoomName } from '../../domain/rooms/index.ts';

/** Writes this process's counts of names in one room; with `sweep`, drops expired entries first. */
export type WritePresence = (
  room: RoomName,
  counts: readonly (readonly [string, number])[],
  sweep: boolean,
) => Promise<void>;

/**
 * This process's presence: its count of connections per name in each room. Each change is
 * written at once; every `ttlMs / 3` all of it is written again (so it outlives the TTL while the
 * process lives, and is back soon after Redis lost it), and expired entries of any process are
 * swept from the rooms with members here.
 */
export class PresenceBeat {
  private readonly counts = new Map<RoomName, Map<string, number>>();
  private readonly writing = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: WritePresence,
    private readonly fault: (error: unknown) => void,
  ) {}

  set(room: RoomName, name: string, connections: number): void {
    const names = this.counts.get(room) ?? new Map<string, number>();
    if (connections > 0) names.set(name, connections);
    else names.delete(name);
    if (names.size > 0) this.counts.set(room, names);
    else this.counts.delete(room);
    this.track(this.write(room, [[name, connections]], false));
  }

  /** Writes everything again (and sweeps) in `rooms` and in every room with names here. */
  beat(rooms: Iterable<RoomName>): void {
    const all = new Set([...rooms, ...this.counts.keys()]);
    for (const room of all) this.track(this.write(room, [...(this.counts.get(room) ?? [])], true));
  }

  start(ttlMs: number, rooms: () => Iterable<RoomName>): void {
    this.timer = setInterval(() => this.beat(rooms()), Math.floor(ttlMs / 3));
    this.timer.unref();
  }

  /** Stops beating; resolves when the writes under way have ended. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled(this.writing);
  }

  private track(writing: Promise<void>): void {
    const tracked = writing.catch(this.fault).finally(() => this.writing.delete(tracked));
    this.writing.add(tracked);
  }
}
