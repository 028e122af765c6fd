import { MemoryEngine } from '../../src/adapters/memory/memory-engine.adapter.ts';
import { SystemClock } from '../../src/adapters/system/system-clock.adapter.ts';
import type {
  Engine,
  JoinAnswer,
  NodePresence,
  RoomMessage,
  SendDraft,
  Stored,
} from '../../src/app/ports/engine.port.ts';
import type { Seq } from '../../src/domain/index.ts';
import type { JoinRequest, RoomName } from '../../src/domain/rooms/index.ts';

/** A memory engine with the default limits and the system clock. */
export const defaultMemoryEngine = (): MemoryEngine =>
  new MemoryEngine(
    { historySize: 100, historyTtlMs: 86_400_000, dedupeWindowMs: 300_000, maxRooms: 1_000 },
    new SystemClock(),
  );

/**
 * An engine that passes every call to `inner`: test engines extend it and override only what
 * they change.
 */
export class DelegatingEngine implements Engine {
  constructor(protected readonly inner: Engine = defaultMemoryEngine()) {}

  publish(draft: SendDraft): Promise<Stored> {
    return this.inner.publish(draft);
  }

  join(room: RoomName, request: JoinRequest): Promise<JoinAnswer> {
    return this.inner.join(room, request);
  }

  history(room: RoomName, limit: number, before?: Seq): Promise<readonly RoomMessage[]> {
    return this.inner.history(room, limit, before);
  }

  subscribe(room: RoomName, listener: (message: RoomMessage) => void): () => void {
    return this.inner.subscribe(room, listener);
  }

  announce(room: RoomName, name: string, connections: number): void {
    this.inner.announce(room, name, connections);
  }

  watchPresence(room: RoomName, listener: (presence: NodePresence) => void): () => void {
    return this.inner.watchPresence(room, listener);
  }

  open(): Promise<void> {
    return this.inner.open();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  get available(): boolean {
    return this.inner.available;
  }
}
