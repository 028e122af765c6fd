import { readFileSync } from 'node:fs';
import { ConfigError, parseCommandLine } from './app/config.ts';
import { ADAPTER_SETTINGS, createContainer } from './app/container.ts';
import type { HubbubServer } from './app/hubbub-server.ts';
import type { Logger } from './app/ports/logger.port.ts';
import { TOKENS } from './app/tokens.ts';
import { stopOnSignals } from './stop-on-signals.ts';

/** package.json is one level above both src/main.ts and the compiled dist/main.js. */
const PACKAGE_JSON = new URL('../package.json', import.meta.url);
const version = (): string => JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')).version;

const main = async (): Promise<void> => {
  const parsed = parseCommandLine(process.argv.slice(2), process.env, ADAPTER_SETTINGS);
  if (parsed.kind === 'help') {
    process.stdout.write(`${parsed.text}\n`);
    return;
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`${version()}\n`);
    return;
  }
  const container = createContainer(parsed.config);
  const server = container.get<HubbubServer>(TOKENS.HubbubServer);
  const logger = container.get<Logger>(TOKENS.Logger);
  stopOnSignals(server, logger);

  // Printed only once the signal handlers are in place: supervisors may signal on this line.
  const { port } = await server.start();
  const { host: configured } = parsed.config;
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
