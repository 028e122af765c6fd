import { type Backoff, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';

/** The waits between reconnect attempts: growing with each failure, back to the first on success. */
export class RetryTimer {
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private retry: (() => void) | undefined;

  constructor(
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** Runs `retry` after the next wait, and returns the wait in ms. */
  schedule(retry: () => void): number {
    this.cancel();
    const delay = backoffDelay(this.backoff, this.attempt++, this.random);
    this.retry = retry;
    this.timer = setTimeout(() => this.now(), delay);
    return delay;
  }

  /** Runs the retry waiting, if any, at once. */
  now(): void {
    const retry = this.retry;
    this.cancel();
    retry?.();
  }

  succeeded(): void {
    this.attempt = 0;
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.retry = undefined;
  }
}
