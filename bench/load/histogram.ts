// A fixed-size latency histogram in microseconds: 10 µs buckets up to 10 ms, 1 ms buckets up to
// 10 s, one overflow bucket. Recording is an index computation and an increment, no allocation.

const FINE_US = 10;
const FINE_LIMIT_US = 10_000;
const COARSE_US = 1_000;
const COARSE_LIMIT_US = 10_000_000;
const FINE_BUCKETS = FINE_LIMIT_US / FINE_US;
const BUCKETS = FINE_BUCKETS + (COARSE_LIMIT_US - FINE_LIMIT_US) / COARSE_US + 1;

export class Histogram {
  readonly #counts = new Float64Array(BUCKETS);
  #total = 0;
  #max = 0;

  get count(): number {
    return this.#total;
  }

  record(us: number): void {
    const value = Math.max(us, 0);
    const index =
      value < FINE_LIMIT_US
        ? Math.floor(value / FINE_US)
        : value < COARSE_LIMIT_US
          ? FINE_BUCKETS + Math.floor((value - FINE_LIMIT_US) / COARSE_US)
          : BUCKETS - 1;
    this.#counts[index] = (this.#counts[index] as number) + 1;
    this.#total++;
    if (value > this.#max) this.#max = value;
  }

  /** The upper edge of the bucket holding the `q` quantile (0..1), in milliseconds. */
  quantileMs(q: number): number {
    if (this.#total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.#total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i] as number;
      if (seen >= rank) {
        const upperUs =
          i < FINE_BUCKETS
            ? (i + 1) * FINE_US
            : i < BUCKETS - 1
              ? FINE_LIMIT_US + (i - FINE_BUCKETS + 1) * COARSE_US
              : this.#max;
        return Math.min(upperUs, this.#max) / 1000;
      }
    }
    return this.#max / 1000;
  }

  maxMs(): number {
    return this.#max / 1000;
  }
}
