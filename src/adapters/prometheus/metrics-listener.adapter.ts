import { createServer, type Server } from 'node:http';
import { inject, injectable } from 'inversify';
import type { Config } from '../../app/config.ts';
import type { Clock } from '../../app/ports/clock.port.ts';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { Transport } from '../../app/ports/transport.port.ts';
import { TOKENS } from '../../app/tokens.ts';
import { CLOSE_GRACE_MS } from '../kit/closing.ts';
import { listenError } from '../kit/listen-error.ts';
import { limitPipelining } from '../kit/pipelining.ts';
import {
  answerMetricsClientError,
  answerMetricsRequest,
  type Exposition,
} from './metrics-requests.ts';
import {
  PROMETHEUS_SETTINGS,
  type PrometheusSettings,
  prometheusSettings,
} from './prometheus.settings.ts';
import { PROMETHEUS_TOKENS } from './prometheus.tokens.ts';
import { RenderCache } from './render-cache.ts';

/** What the listener serves: one server's metrics (`PrometheusMetrics`), or every worker's. */
export type MetricsSource = Readonly<{
  render(): Promise<Readonly<{ contentType: string; body: string }>>;
}>;

/** A scrape is one small request: one that takes longer than this to arrive is cut off. */
const REQUEST_TIMEOUT_MS = 5_000;
/** An idle keep-alive connection between scrapes is closed after this. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** A client that stops reading its answer is cut off after this long without progress. */
const SOCKET_IDLE_MS = 10_000;

/**
 * `GET /metrics` on a listener of its own (`--metrics-port`, 9464; `--metrics-host`,
 * 127.0.0.1), apart from the chat port: the metrics say how the process is doing, which is
 * for the operator, and scrapers then share nothing with chat clients but the event loop.
 * It is a `Transport` only so the server starts and stops it with the others: it carries no
 * connection to the hub.
 */
// No #private members: esbuild (tsx) lowers them to WeakMap lookups in decorated classes.
@injectable()
export class MetricsListener implements Transport {
  readonly name = 'metrics';
  private server: Server | undefined;
  private readonly exposition: RenderCache<Exposition>;

  constructor(
    @inject(PROMETHEUS_TOKENS.PrometheusMetrics) metrics: MetricsSource,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(PROMETHEUS_SETTINGS) private readonly config: Config & PrometheusSettings,
  ) {
    this.exposition = new RenderCache(
      async () => {
        const { contentType, body } = await metrics.render();
        return { contentType, body: Buffer.from(body) };
      },
      () => clock.now(),
    );
  }

  /** The port listened on, once started; `undefined` when the listener is off. */
  get port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  async start(): Promise<void> {
    const { metricsPort: port, metricsHost: host } = this.config;
    if (port === undefined || this.server !== undefined) return;
    const server = createServer(
      {
        headersTimeout: REQUEST_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
        connectionsCheckingInterval: 1_000,
      },
      // A scraper that pipelines without reading is cut, as on the chat port.
      limitPipelining(
        answerMetricsRequest(
          () => this.exposition.get(),
          (error) => this.logger.error('metrics rendering failed', { error: String(error) }),
        ),
        (socket) =>
          this.logger.warn('metrics request refused', {
            remote: `${socket.remoteAddress}:${socket.remotePort}`,
            reason: 'pipelining_limit',
          }),
      ),
    );
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.setTimeout(SOCKET_IDLE_MS);
    server.on('clientError', answerMetricsClientError);
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void =>
        reject(
          listenError(
            error,
            { flag: prometheusSettings.metricsPort.flag, value: port },
            host,
            prometheusSettings.metricsHost.flag,
          ),
        );
      server.once('error', failed);
      server.listen(port, host, () => {
        server.off('error', failed);
        resolve();
      });
    });
    server.on('error', (error) =>
      this.logger.error('metrics listener failed', { error: String(error) }),
    );
    this.server = server;
  }

  /** Stops listening; a scrape still being answered has a short grace, then is cut. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      const cutOff = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      cutOff.unref();
      server.close(() => {
        clearTimeout(cutOff);
        resolve();
      });
      server.closeIdleConnections();
    });
  }
}
