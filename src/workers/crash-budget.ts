/** Crashes that may happen within `CRASH_WINDOW_MS` before the primary stops restarting. */
export const CRASH_LIMIT = 5;
export const CRASH_WINDOW_MS = 60_000;

/**
 * Counts unexpected worker exits over a sliding window: a worker that crashes now and then is
 * restarted, one that crashes as soon as it starts would be restarted forever, and is not.
 */
export class CrashBudget {
  readonly #crashes: number[] = [];

  constructor(
    private readonly limit = CRASH_LIMIT,
    private readonly windowMs = CRASH_WINDOW_MS,
  ) {}

  /** Records a crash at `at` (ms); true when it is the `limit`-th within the window. */
  exhaustedBy(at: number): boolean {
    this.#crashes.push(at);
    while (this.#crashes.length > 0 && at - (this.#crashes[0] ?? at) >= this.windowMs) {
      this.#crashes.shift();
    }
    return this.#crashes.length >= this.limit;
  }

  /** Crashes within the window as of the latest one. */
  get recent(): number {
    return this.#crashes.length;
  }
}
