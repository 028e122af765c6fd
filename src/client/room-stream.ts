import type { Backoff } from './backoff.ts';
import { RetryTimer } from './retry-timer.ts';

/** What the client needs of an EventSource: the browser's, or one passed in. */
export type EventSourceLike = {
  close(): void;
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void;
};
export type EventSourceConstructor = new (url: string) => EventSourceLike;

export type StreamState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** The events of a room's stream with `format=v2`, each with a JSON item as its data. */
const ITEM_EVENTS = ['welcome', 'joined', 'message', 'member_joined', 'member_left'] as const;

/**
 * One room's event stream, reconnected by the client itself (backoff and jitter, the URL made
 * anew each time so that it resumes from the last message had) rather than by EventSource,
 * whose retries can be neither seen nor timed.
 */
export class RoomStream {
  state: StreamState = 'connecting';
  /** While reconnecting: when the next attempt starts (ms since the epoch). */
  retryAt = 0;
  private source: EventSourceLike | undefined;
  private readonly retries: RetryTimer;

  constructor(
    private readonly urlNow: () => string,
    private readonly EventSourceImpl: EventSourceConstructor,
    options: Readonly<{ backoff?: Backoff; random: () => number }>,
    private readonly onItem: (item: unknown) => void,
    private readonly onState: () => void,
  ) {
    this.retries = new RetryTimer(options.backoff, options.random);
    this.open();
  }

  reconnect(): void {
    this.retries.now();
  }

  close(): void {
    this.state = 'closed';
    this.retries.cancel();
    this.source?.close();
  }

  private open(): void {
    this.set('connecting');
    const source = new this.EventSourceImpl(this.urlNow());
    this.source = source;
    source.addEventListener('open', () => {
      if (source !== this.source) return;
      this.retries.succeeded();
      this.set('connected');
    });
    for (const type of ITEM_EVENTS) {
      source.addEventListener(type, (event) => {
        if (source === this.source) this.item(event.data);
      });
    }
    // The stream lost, or ended by the server: `error` (evicted) or `bye` (shutting down).
    source.addEventListener('error', () => this.lost(source));
    source.addEventListener('bye', () => this.lost(source));
  }

  private item(data: unknown): void {
    let item: unknown;
    try {
      item = JSON.parse(String(data));
    } catch {
      return; // not a v2 stream's event: nothing a client of this format can use
    }
    this.onItem(item);
  }

  private lost(source: EventSourceLike): void {
    if (source !== this.source || this.state === 'closed') return;
    source.close();
    this.retryAt = Date.now() + this.retries.schedule(() => this.open());
    this.set('reconnecting');
  }

  private set(state: StreamState): void {
    this.state = state;
    this.onState();
  }
}
