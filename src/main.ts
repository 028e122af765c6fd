import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import type { Container } from 'inversify';
import { MetricsListener } from './adapters/prometheus/metrics-listener.adapter.ts';
import { TcpTransport } from './adapters/tcp/tcp-transport.adapter.ts';
import { ConfigError } from './app/config.ts';
import type { HubbubServer } from './app/hubbub-server.ts';
import type { Logger } from './app/ports/logger.port.ts';
import type { Transport } from './app/ports/transport.port.ts';
import { TOKENS } from './app/tokens.ts';
import {
  createContainer,
  createLogger,
  createWorkersMetricsListener,
  type Overrides,
  parseSettings,
  type Settings,
  shareWorkerMetrics,
} from './composition-root.ts';
import { announceListening, type ListenerPorts } from './listening-lines.ts';
import { stopOnSignals } from './stop-on-signals.ts';
import { withFields } from './workers/logger-fields.ts';
import { Primary } from './workers/primary.ts';
import { reportToPrimary } from './workers/worker-reports.ts';

/** package.json is one level above both src/main.ts and the compiled dist/main.js. */
const PACKAGE_JSON = new URL('../package.json', import.meta.url);
const version = (): string => JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')).version;

/**
 * Composes the server, stops it gracefully on SIGTERM and SIGINT, and starts it; resolves with
 * its logger and the ports it listens on. `prepare` sees the composition before it starts.
 */
const serve = async (
  settings: Settings,
  overrides: Overrides = {},
  prepare: (container: Container) => void = () => {},
): Promise<ListenerPorts & { logger: Logger }> => {
  const container = createContainer(settings, overrides);
  prepare(container);
  const server = container.get<HubbubServer>(TOKENS.HubbubServer);
  const logger = container.get<Logger>(TOKENS.Logger);
  // Before it listens: supervisors may signal as soon as the listening line is printed.
  stopOnSignals(server, logger);
  const { port } = await server.start();
  const transports = container.getAll<Transport>(TOKENS.Transport);
  return {
    logger,
    port,
    tcpPort: transports.find((transport) => transport instanceof TcpTransport)?.port,
    metricsPort: transports.find((transport) => transport instanceof MetricsListener)?.port,
  };
};

/** A worker of `--workers N`: the whole server, telling the primary once it listens. */
const serveAsWorker = async (settings: Settings, worker: number): Promise<void> => {
  const logger = withFields(createLogger(settings), { worker });
  // The primary serves every worker's metrics, on --metrics-port.
  const { port, tcpPort } = await serve(
    { ...settings, metricsPort: undefined },
    { logger },
    shareWorkerMetrics,
  );
  await reportToPrimary({ hubbub: 'listening', ports: { port, tcpPort } });
};

/** The primary of `--workers N`: the metrics listener, and the workers that serve. */
const runPrimary = async (settings: Settings): Promise<void> => {
  const logger = createLogger(settings);
  const metrics = createWorkersMetricsListener(settings, logger);
  await metrics.start(); // a port in use is refused before any worker starts
  new Primary({
    workers: settings.workers,
    logger,
    listening: (ports) =>
      announceListening(settings, logger, { ...ports, metricsPort: metrics.port }),
    failedToStart: (line) => process.stderr.write(`${line}\n`),
    stopOwn: () => metrics.stop(),
  }).start();
};

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
  const { settings } = parsed;
  if (cluster.worker !== undefined) return serveAsWorker(settings, cluster.worker.id);
  if (settings.workers > 1) return runPrimary(settings);
  const { logger, ...ports } = await serve(settings);
  announceListening(settings, logger, ports);
};

main().catch((error: unknown) => {
  const line =
    error instanceof ConfigError
      ? `hubbub: ${error.message}`
      : `hubbub failed to start: ${(error as Error).stack ?? error}`;
  // A worker's primary prints the line once for all of them.
  if (cluster.isWorker) {
    reportToPrimary({ hubbub: 'failed', line }).then(() => process.exit(2));
    return;
  }
  process.stderr.write(`${line}\n`);
  process.exit(2);
});
