/** Redis cannot be reached (or did not answer in time): nothing was stored or read. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/** `promise`, or a RedisUnavailableError after `ms`. */
export const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new RedisUnavailableError(`${what}: no answer in ${ms} ms`)),
      ms,
    );
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });

/** How long a command may take before the sender is told `unavailable` (it may still be stored: a retry with the same client id is deduplicated). */
export const COMMAND_TIMEOUT_MS = 5_000;

/** How long a close may wait for what is under way before the connection is cut. */
const CLOSE_WAIT_MS = 1_000;

/**
 * Closes a connection, letting its commands under way finish; one that cannot (Redis away, a
 * reconnecting socket with commands queued) is cut after a second, so shutdown never hangs.
 */
export const closeOrCut = async (
  client: Readonly<{ close(): Promise<unknown>; destroy(): unknown }>,
): Promise<void> => {
  await within(client.close(), CLOSE_WAIT_MS, 'redis close').catch(() => client.destroy());
};

/** How long a join or a start waits for Redis before it answers `unavailable` or goes on. */
export const WAIT_FOR_REDIS_MS = 5_000;

/** Where Redis is, without the credentials a URL may carry. */
export const redisHost = (url: string): string => new URL(url).host;
