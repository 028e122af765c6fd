// Waiting, always bounded: every wait in the soak has a deadline.

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Sleeps `ms`, waking early (every 100 ms it looks) once `stop()` is true. */
export const sleepUnless = async (ms: number, stop: () => boolean): Promise<void> => {
  const until = performance.now() + ms;
  while (!stop()) {
    const left = until - performance.now();
    if (left <= 0) return;
    await sleep(Math.min(100, left));
  }
};

/** The promise's value, or `undefined` if it has not settled within `ms` (or rejected). */
export const within = async <T>(promise: Promise<T>, ms: number): Promise<T | undefined> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
};

/** Polls `condition` every `stepMs` until it holds (true) or `ms` have passed (false). */
export const waitFor = async (
  condition: () => boolean,
  ms: number,
  stepMs = 100,
): Promise<boolean> => {
  const until = performance.now() + ms;
  for (;;) {
    if (condition()) return true;
    if (performance.now() >= until) return false;
    await sleep(stepMs);
  }
};

/** Whether the promise resolved (not rejected) within `ms`. */
export const resolvesWithin = async (promise: Promise<unknown>, ms: number): Promise<boolean> =>
  (await within(
    promise.then(() => true),
    ms,
  )) === true;
