import type { JoinAnswer, NodePresence } from '../../src/app/ports/engine.port.ts';
import type { JoinRequest, RoomName } from '../../src/domain/rooms/index.ts';
import { DelegatingEngine } from './delegating-engine.ts';

/** One `announce` call: this process's connections of `name` in `room`. */
export type Announced = Readonly<{ room: RoomName; name: string; connections: number }>;

type PresenceListener = (presence: NodePresence) => void;

/**
 * The memory engine, with other processes played by the test: `report` is what a shared
 * engine would hear from another process (delivered to every watch of its room, and to each
 * watch begun later, as what that process has now); every `announce` is recorded.
 */
export class OtherNodesEngine extends DelegatingEngine {
  readonly announced: Announced[] = [];
  /** `watch ROOM`, `unwatch ROOM` and `join ROOM`, in the order they were called. */
  readonly calls: string[] = [];
  /** Per room, the other processes' latest count of each name, by `node/name`. */
  private readonly others = new Map<RoomName, Map<string, NodePresence>>();
  private readonly watches = new Map<RoomName, Set<PresenceListener>>();

  /** Another process now has `connections` connections of `name` in `room` (0: none, or it died). */
  report(node: string, room: RoomName, name: string, connections: number): void {
    const presence: NodePresence = { room, node, name, connections };
    const known = this.others.get(room) ?? new Map<string, NodePresence>();
    if (connections > 0) known.set(`${node}/${name}`, presence);
    else known.delete(`${node}/${name}`);
    this.others.set(room, known);
    for (const listener of this.watches.get(room) ?? []) listener(presence);
  }

  /** Another process died: once its presence expires, each of its counts is reported as 0. */
  expire(node: string): void {
    for (const [room, known] of this.others) {
      for (const presence of [...known.values()]) {
        if (presence.node === node) this.report(node, room, presence.name, 0);
      }
    }
  }

  /** How many watches of `room` are on. */
  watching(room: RoomName): number {
    return this.watches.get(room)?.size ?? 0;
  }

  /** This process's latest count of `name` in `room`, as announced (0 before any). */
  lastAnnounced(room: RoomName, name: string): number {
    const last = this.announced.findLast((a) => a.room === room && a.name === name);
    return last?.connections ?? 0;
  }

  override announce(room: RoomName, name: string, connections: number): void {
    this.announced.push({ room, name, connections });
  }

  override watchPresence(room: RoomName, listener: PresenceListener): () => void {
    const listeners = this.watches.get(room) ?? new Set<PresenceListener>();
    // Each watch its own entry, even for the same function given twice.
    const watch: PresenceListener = (presence) => listener(presence);
    listeners.add(watch);
    this.watches.set(room, listeners);
    this.calls.push(`watch ${room}`);
    for (const presence of this.others.get(room)?.values() ?? []) watch(presence);
    return () => {
      this.calls.push(`unwatch ${room}`);
      listeners.delete(watch);
      if (listeners.size === 0) this.watches.delete(room);
    };
  }

  override join(room: RoomName, request: JoinRequest): Promise<JoinAnswer> {
    this.calls.push(`join ${room}`);
    return this.inner.join(room, request);
  }
}
