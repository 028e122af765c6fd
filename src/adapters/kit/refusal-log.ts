import type { LogFields, Logger } from '../../app/ports/logger.port.ts';

/** How often an address that keeps being refused gets a line with its count. */
export const REFUSAL_LOG_INTERVAL_MS = 10_000;
/** Addresses tracked per interval; past it the rest are counted together. */
const MAX_ADDRESSES = 10_000;

type Suppressed = { count: number; reasons: Set<string>; transports: Set<string> };

/**
 * Refusals logged once per address per interval: the first refusal of an address is logged at
 * once, and those that follow within the interval are counted and logged as one line when it
 * ends (`connections rejected`, with the count). A flood from one address costs a line every
 * interval, not a line per request.
 */
export class RefusalLog {
  private readonly seen = new Set<string>();
  private readonly suppressed = new Map<string, Suppressed>();
  private overflow = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = REFUSAL_LOG_INTERVAL_MS,
  ) {}

  refused(address: string, transport: string, reason: string, fields: LogFields): void {
    this.startInterval();
    if (!this.seen.has(address) && this.seen.size < MAX_ADDRESSES) {
      this.seen.add(address);
      this.logger.warn('connection rejected', { transport, reason, ...fields });
      return;
    }
    if (!this.seen.has(address)) {
      this.overflow += 1;
      return;
    }
    const entry = this.suppressed.get(address) ?? {
      count: 0,
      reasons: new Set<string>(),
      transports: new Set<string>(),
    };
    entry.count += 1;
    entry.reasons.add(reason);
    entry.transports.add(transport);
    this.suppressed.set(address, entry);
  }

  /** Logs what the interval held back and starts afresh (called by the timer; tests may call it). */
  flush(): void {
    for (const [address, entry] of this.suppressed) {
      this.logger.warn('connections rejected', {
        address,
        count: entry.count,
        reasons: [...entry.reasons].join(','),
        transports: [...entry.transports].join(','),
        intervalMs: this.intervalMs,
      });
    }
    if (this.overflow > 0) {
      this.logger.warn('connections rejected', {
        address: 'other addresses',
        count: this.overflow,
        intervalMs: this.intervalMs,
      });
    }
    this.seen.clear();
    this.suppressed.clear();
    this.overflow = 0;
  }

  /** Stops the timer after logging what is held back (at shutdown). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  private startInterval(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.intervalMs);
    this.timer.unref();
  }
}
