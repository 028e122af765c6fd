import type { NodePresence } from '../../app/ports/engine.port.ts';

const keyOf = (presence: NodePresence): string => `${presence.node}\n${presence.name}`;

/**
 * The other processes' presence in one room, as a channel passes it on: each change once. A
 * read of every live entry after the subscriber connection came back may miss entries that
 * Redis lost (a restart, a flush) while their processes live on; those write them again within
 * a third of the TTL. So an entry missing from such a read is told gone only if it is still
 * missing from another read a TTL later, not at once (its members would seem to leave and
 * join again).
 */
export class ChannelPresence {
  readonly listeners = new Set<(presence: NodePresence) => void>();
  /** The presence passed on so far, by `<node>\n<name>`. */
  private readonly told = new Map<string, NodePresence>();
  private recheck: NodeJS.Timeout | undefined;

  /** `readAgain` reads every live entry again and hands them to `settle`. */
  constructor(
    private readonly ttlMs: number,
    private readonly readAgain: () => void,
  ) {}

  /** A change a process published. */
  changed(presence: NodePresence): void {
    this.tell(presence);
  }

  /** Every live entry, read after the connection came back: news are told, the missing wait. */
  snapshot(entries: readonly NodePresence[]): void {
    const live = new Set(entries.map(keyOf));
    for (const entry of entries) this.tell(entry);
    const missing = [...this.told.keys()].some((key) => !live.has(key));
    if (missing && this.recheck === undefined) {
      this.recheck = setTimeout(() => {
        this.recheck = undefined;
        this.readAgain();
      }, this.ttlMs);
      this.recheck.unref();
    }
  }

  /** Every live entry, read a TTL after some were missing: whoever is still missing is gone. */
  settle(entries: readonly NodePresence[]): void {
    const live = new Set(entries.map(keyOf));
    for (const [key, told] of this.told) {
      if (!live.has(key)) this.tell({ ...told, connections: 0 });
    }
    for (const entry of entries) this.tell(entry);
  }

  close(): void {
    clearTimeout(this.recheck);
  }

  private tell(presence: NodePresence): void {
    const key = keyOf(presence);
    if ((this.told.get(key)?.connections ?? 0) === presence.connections) return;
    if (presence.connections === 0) this.told.delete(key);
    else this.told.set(key, presence);
    for (const listener of this.listeners) listener(presence);
  }
}
