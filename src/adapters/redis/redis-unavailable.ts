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
