import { ConfigError } from './app/config.ts';
import type { HubbubServer } from './app/hubbub-server.ts';
import type { Logger } from './app/ports/logger.port.ts';
import { TOKENS } from './app/tokens.ts';
import { createContainer, parseSettings } from './composition-root.ts';

const SHUTDOWN_LIMIT_MS = 5_000;

const main = async (): Promise<void> => {
  const parsed = parseSettings(process.argv.slice(2), process.env);
  if (parsed.kind === 'help') {
    process.stdout.write(`${parsed.text}\n`);
    return;
  }
  const container = createContainer(parsed.settings);
  const server = container.get<HubbubServer>(TOKENS.HubbubServer);
  const logger = container.get<Logger>(TOKENS.Logger);
  const shutdown = (signal: string): void => {
    logger.info(`${signal} received, closing every connection`, { signal });
    setTimeout(() => {
      logger.error('shutdown took too long; exiting', { limitMs: SHUTDOWN_LIMIT_MS });
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  // Printed only once the signal handlers are in place: supervisors may signal on this line.
  const { port } = await server.start();
  const { host: configured } = parsed.settings;
  const host = ['0.0.0.0', '::'].includes(configured)
    ? 'localhost'
    : configured.includes(':')
      ? `[${configured}]`
      : configured;
  process.stdout.write(`Hubbub listening on http://${host}:${port}\n`);
  logger.info('hubbub listening', { url: `http://${host}:${port}` });
};

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`hubbub: ${error.message}\n`);
  else process.stderr.write(`hubbub failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(2);
});
