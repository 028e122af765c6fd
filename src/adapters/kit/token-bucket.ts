/**
 * A token bucket: `burst` messages at once, then `perSecond` on average. A connection that
 * has sent nothing for a while has its whole burst back.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes one token if there is one; `now` in milliseconds on any steady clock. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when the bucket has refilled completely: it holds nothing worth keeping. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }

  private refill(now: number): void {
    if (now <= this.updatedAt) return;
    const elapsedMs = now - this.updatedAt;
    this.updatedAt = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.perSecond) / 1000);
  }
}

export type RateLimit = Readonly<{ perSecond: number; burst: number }>;

/** `--rate-limit` and `--rate-limit-burst`. */
export const rateLimitOf = (
  config: Readonly<{ rateLimit: number; rateLimitBurst: number }>,
): RateLimit => ({ perSecond: config.rateLimit, burst: config.rateLimitBurst });

/** `--rate-limit-per-ip`: on average, and twice that at once. */
export const addressRateLimitOf = (config: Readonly<{ rateLimitPerIp: number }>): RateLimit => ({
  perSecond: config.rateLimitPerIp,
  burst: 2 * config.rateLimitPerIp,
});

/** The limit in force: a bucket for a new sender, or `undefined` when there is no limit. */

export const bucketFor = (limit: RateLimit, now: number): TokenBucket | undefined =>
  limit.perSecond > 0 ? new TokenBucket(limit.perSecond, limit.burst, now) : undefined;

/** Buckets by client address: `POST /send`, which is no connection, and the per-address budget. */
export class RateLimitsByAddress {
  private readonly buckets = new Map<string, TokenBucket>();
  /** The size at which the next prune runs: twice what a prune left, so pruning stays cheap. */
  private pruneAt: number;

  constructor(
    private readonly limit: RateLimit,
    /** Past this many addresses, buckets that have refilled are forgotten. */
    private readonly pruneAbove = 10_000,
  ) {
    this.pruneAt = pruneAbove;
  }

  take(address: string, now: number): boolean {
    if (this.limit.perSecond <= 0) return true;
    let bucket = this.buckets.get(address);
    if (bucket === undefined) {
      if (this.buckets.size >= this.pruneAt) {
        this.prune(now);
        // Many addresses still sending: the next scan waits until there are twice as many,
        // so a scan's cost is spread over as many new addresses as it visits.
        this.pruneAt = Math.max(this.pruneAbove, 2 * this.buckets.size);
      }
      bucket = new TokenBucket(this.limit.perSecond, this.limit.burst, now);
      this.buckets.set(address, bucket);
    }
    return bucket.take(now);
  }

  get size(): number {
    return this.buckets.size;
  }

  private prune(now: number): void {
    for (const [address, bucket] of this.buckets) {
      if (bucket.isFull(now)) this.buckets.delete(address);
    }
  }
}
