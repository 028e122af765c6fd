import type { Logger } from './app/ports/logger.port.ts';

/** How long a graceful stop may take before the process gives up on it. */
export const STOP_LIMIT_MS = 5_000;

/**
 * SIGTERM and SIGINT stop the server gracefully however often they arrive: npm forwards every
 * signal it gets, so Ctrl-C (SIGINT to the whole process group) reaches the server twice, and
 * a supervisor may repeat itself. Exits 0 once stopped, 1 if the stop failed or took too long.
 */
export const stopOnSignals = (server: { stop(): Promise<void> }, logger: Logger): void => {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.info(`${signal} received, the stop is already under way`, { signal });
      return;
    }
    stopping = true;
    logger.info(`${signal} received, closing every connection`, { signal });
    setTimeout(() => {
      logger.error('shutdown took too long; exiting', { limitMs: STOP_LIMIT_MS });
      process.exit(1);
    }, STOP_LIMIT_MS).unref();
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
};
