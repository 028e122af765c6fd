import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { inject, injectable, multiInject, optional } from 'inversify';
import Koa from 'koa';
import serve from 'koa-static';
import type { Config } from '../../app/config.ts';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { Hub } from '../../app/ports/transport.port.ts';
import type { WebServer } from '../../app/ports/web-server.port.ts';
import { TOKENS } from '../../app/tokens.ts';
import type { Admission } from '../kit/admission.ts';
import { CLOSE_GRACE_MS, cutOffAfter } from '../kit/closing.ts';
import type { HttpRoute, UpgradeRoute } from '../kit/http-route.ts';
import { KIT_TOKENS } from '../kit/kit.tokens.ts';
import { listenError } from '../kit/listen-error.ts';
import { peerAddress } from '../kit/peer-address.ts';
import { limitPipelining } from '../kit/pipelining.ts';
import { endWithStatus } from '../kit/raw-http-answer.ts';
import { gateConnections } from '../kit/socket-gate.ts';
import { answerClientError, answerIdleSocket } from './client-errors.ts';
import { HTTP_SETTINGS, type HttpSettings, httpSettings } from './http.settings.ts';
import { findPageDirs } from './public-dir.ts';
import {
  healthRoutes,
  httpRoutes,
  mountRoutes,
  type Readiness,
  securityHeaders,
} from './routes.ts';
import { dispatchUpgrades } from './upgrades.ts';

/** Socket errors that mean the client went away, not that the server failed. */
const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** How long an idle keep-alive connection is kept for its next request (Node's default). */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/**
 * Koa serves the page from public/ and dist/public/ (its bundled script). Transports plug in
 * through ports: plain HTTP endpoints (SSE) as `HttpRoute`s, upgrade endpoints (WebSocket) as
 * `UpgradeRoute`s, each by its path.
 */
@injectable()
export class KoaWebServer implements WebServer {
  readonly server: Server;
  #closing = false;

  constructor(
    @inject(HTTP_SETTINGS) private readonly config: Config & HttpSettings,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(TOKENS.Hub) private readonly hub: Hub,
    @inject(KIT_TOKENS.Admission) private readonly admission: Admission,
    @multiInject(KIT_TOKENS.HttpRoute) @optional() routes: HttpRoute[] | undefined,
    @multiInject(KIT_TOKENS.UpgradeRoute) @optional() upgrades: UpgradeRoute[] | undefined,
  ) {
    const app = new Koa();
    app.on('error', (error: NodeJS.ErrnoException & { status?: number }) => {
      // koa-static reports a client that aborts a download; that is not a server fault.
      if (error.code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      // Nor is a malformed path (400, 403), or a client that reset its connection mid-request
      // (an event stream, a POST): any client could flood the error log with those.
      const clientFault = (error.status ?? 500) < 500 || CLIENT_GONE.has(error.code ?? '');
      const level = clientFault ? 'debug' : 'error';
      this.logger[level]('http request failed', { error: error.message, code: error.code });
    });
    app.use(async (ctx, next) => {
      // A keep-alive connection would hold shutdown up until it idled out.
      if (this.#closing) ctx.set('Connection', 'close');
      await next();
    });
    app.use(securityHeaders());
    app.use(healthRoutes(() => this.readiness));
    app.use(httpRoutes());
    app.use(mountRoutes(routes ?? []));
    const pageDirs = findPageDirs();
    if (pageDirs.length === 0) logger.warn('no public/index.html beside package.json: no page');
    for (const dir of pageDirs) app.use(serve(dir, { index: 'index.html' }));
    const handshakeMs = config.handshakeTimeoutMs;
    const pipelined = (socket: Socket): void =>
      admission.rejected('http', 'pipelining_limit', { remote: peerAddress(socket) });
    this.server = createServer(
      {
        // Slow senders (slowloris) are cut off once their request, upgrades included, is late.
        headersTimeout: handshakeMs,
        requestTimeout: handshakeMs,
        keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
        connectionsCheckingInterval: Math.min(1_000, Math.ceil(handshakeMs / 4)),
      },
      limitPipelining(app.callback(), pipelined),
    );
    // A socket with nothing read or written for this long is ended: a client that stops
    // reading an answer holds nothing longer. Event streams and WebSockets have their own
    // write deadline and turn this off.
    this.server.setTimeout(config.writeTimeoutMs, (socket: Socket) =>
      answerIdleSocket(socket, (error) =>
        admission.rejected('http', 'handshake_timeout', { remote: peerAddress(socket), error }),
      ),
    );
    this.server.on(
      'clientError',
      answerClientError((reason, error, socket) => {
        admission.rejected('http', reason, { remote: peerAddress(socket), error });
      }),
    );
    const badUpgrade = (request: IncomingMessage): void =>
      admission.rejected('http', 'bad_request', {
        remote: peerAddress(request.socket),
        error: 'upgrade without HTTP/1.1 and Host',
      });
    this.server.on('upgrade', dispatchUpgrades(upgrades ?? [], logger, badUpgrade));
    // Per-address accounting from accept: past the cap a socket is answered 429 and closed
    // before Node reads a request from it.
    gateConnections(this.server, (socket) => {
      const refusal = admission.admitSocket('http', socket);
      if (refusal === undefined) return true;
      endWithStatus(socket, refusal.status, refusal.text);
      cutOffAfter(socket);
      return false;
    });
  }

  listen(): Promise<{ host: string; port: number }> {
    const { port, host } = this.config;
    return new Promise((resolve, reject) => {
      const failed = (error: Error): void =>
        reject(listenError(error, { flag: httpSettings.port.flag, value: port }, host));
      this.server.once('error', failed);
      this.server.listen(port, host, () => {
        this.server.off('error', failed);
        const address = this.server.address() as AddressInfo;
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /** Accepting connections (`ready`): listening, not shutting down, and not full. */
  get readiness(): Readiness {
    if (!this.server.listening || this.#closing || this.hub.isClosed) return 'shutting down';
    if (!this.hub.storeAvailable) return 'store unavailable';
    return this.admission.hasRoom ? 'ready' : 'full';
  }

  close(): Promise<void> {
    this.#closing = true;
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      // Connections that never sent a request count as busy to Node, and would hold the
      // listener open until the handshake timeout: once the transports have had their grace
      // to say goodbye, whatever is left is cut.
      const cutOff = setTimeout(() => this.server.closeAllConnections(), CLOSE_GRACE_MS);
      cutOff.unref();
      this.server.close(() => {
        clearTimeout(cutOff);
        this.admission.stop();
        resolve();
      });
      this.server.closeIdleConnections();
    });
  }
}
