export type Backoff = Readonly<{ initialMs: number; maxMs: number; factor: number }>;

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000, factor: 2 };

/**
 * The wait before reconnect attempt `attempt` (0 for the first): exponential up to `maxMs`,
 * with full jitter between half and all of it, so that clients cut off together do not all
 * come back at the same moment.
 */
export const backoffDelay = (backoff: Backoff, attempt: number, random: () => number): number => {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** attempt);
  return Math.round(ceiling * (0.5 + random() / 2));
};
