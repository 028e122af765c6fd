import { readFileSync } from 'node:fs';
import { MetricsListener } from './adapters/prometheus/metrics-listener.adapter.ts';
import { TcpTransport } from './adapters/tcp/tcp-transport.adapter.ts';
import { ConfigError } from './app/config.ts';
import type { HubbubServer } from './app/hubbub-server.ts';
import type { Logger } from './app/ports/logger.port.ts';
import type { Transport } from './app/ports/transport.port.ts';
import { TOKENS } from './app/tokens.ts';
import { createContainer, parseSettings } from './composition-root.ts';
import { stopOnSignals } from './stop-on-signals.ts';

/** package.json is one level above both src/main.ts and the compiled dist/main.js. */
const PACKAGE_JSON = new URL('../package.json', import.meta.url);
const version = (): string => JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')).version;

/** The configured host as a URL shows it: a wildcard address as localhost, IPv6 in brackets. */
const shownHost = (host: string): string =>
  ['0.0.0.0', '::'].includes(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;

const main = async (): Promise<void> => {
  const parsed = parseSettings(process.argv.slice(2), process.env);
  if (parsed.kind === 'help') {
    process.stdout.write(`${parsed.text}\n`);
    return;
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`${version()}\n`);
    return;
  }
  const container = createContainer(parsed.settings);
  const server = container.get<HubbubServer>(TOKENS.HubbubServer);
  const logger = container.get<Logger>(TOKENS.Logger);
  stopOnSignals(server, logger);

  // Printed only once the signal handlers are in place: supervisors may signal on this line.
  const { port } = await server.start();
  const transports = container.getAll<Transport>(TOKENS.Transport);
  const tcpPort = transports.find((transport) => transport instanceof TcpTransport)?.port;
  const metricsPort = transports.find((transport) => transport instanceof MetricsListener)?.port;
  const host = shownHost(parsed.settings.host);
  const metricsUrl =
    metricsPort === undefined
      ? undefined
      : `http://${shownHost(parsed.settings.metricsHost)}:${metricsPort}/metrics`;
  process.stdout.write(`Hubbub listening on http://${host}:${port}\n`);
  if (tcpPort !== undefined) process.stdout.write(`Hubbub TCP lines on ${host}:${tcpPort}\n`);
  if (metricsUrl !== undefined) process.stdout.write(`Hubbub metrics on ${metricsUrl}\n`);
  logger.info('hubbub listening', {
    url: `http://${host}:${port}`,
    port,
    tcpPort,
    metricsUrl,
    metricsPort,
  });
};

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`hubbub: ${error.message}\n`);
  else process.stderr.write(`hubbub failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(2);
});
