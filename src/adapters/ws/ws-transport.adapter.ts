import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { inject, injectable } from 'inversify';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Config } from '../../app/config.ts';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { Metrics } from '../../app/ports/metrics.port.ts';
import type { Hub, Transport } from '../../app/ports/transport.port.ts';
import { HubClosedError } from '../../app/session.ts';
import { TOKENS } from '../../app/tokens.ts';
import type { Admission } from '../kit/admission.ts';
import { ConnectionSweep } from '../kit/connection-sweep.ts';
import type { UpgradeRoute } from '../kit/http-route.ts';
import { KIT_TOKENS } from '../kit/kit.tokens.ts';
import { peerAddress, socketErrorLogger } from '../kit/peer-address.ts';
import { endWithStatus } from '../kit/raw-http-answer.ts';
import { rateLimitOf } from '../kit/token-bucket.ts';
import { CloseCode, CloseReason } from './close-codes.ts';
import { answerBadHandshake } from './handshake-refusal.ts';
import { HUBBUB_V1, maxV1FrameBytes } from './hubbub-v1.ts';
import { isOriginAllowed } from './origin-policy.ts';
import { OutboundCache } from './outbound-cache.ts';
import { WS_SETTINGS, type WsSettings } from './ws.settings.ts';
import { type WireProtocol, WsConnection, type WsConnectionSettings } from './ws-connection.ts';

export const WS_PATH = '/ws';
const HIGH_WATER_BYTES = 64 * 1024;
/** How long stop() waits for clients to answer the 1001 close before cutting them off. */
const CLOSE_GRACE_MS = 2_000;

/** WebSocket clients on `/ws` of the web server, one chat message per text frame. */
// No #private members: esbuild (tsx) lowers them to WeakMap lookups in decorated classes.
@injectable()
export class WsTransport implements Transport {
  readonly name = 'ws';
  private readonly wss: WebSocketServer;
  private readonly cache: OutboundCache;
  /** Connections that had broadcasts this turn; flushed together once the turn's work is done. */
  private toFlush = new Set<WsConnection>();
  private readonly scheduleFlush = (connection: WsConnection): void => {
    if (this.toFlush.size === 0) {
      if (this.config.batchWindowMs > 0) setTimeout(this.flushAll, this.config.batchWindowMs);
      else setImmediate(this.flushAll);
    }
    this.toFlush.add(connection);
  };
  private readonly flushAll = (): void => {
    // A fresh set first: a connection woken during this pass is flushed by the next one.
    const batch = this.toFlush;
    this.toFlush = new Set();
    for (const connection of batch) connection.flush();
  };
  /** Open connections, swept for keepalive and write deadlines by one timer, not one each. */
  private readonly connections = new ConnectionSweep<WsConnection>();
  /** Shared by every connection of a protocol: nothing per connection but the connection. */
  private readonly settings: Record<WireProtocol, WsConnectionSettings>;

  constructor(
    @inject(TOKENS.Hub) private readonly hub: Hub,
    @inject(WS_SETTINGS) private readonly config: Config & WsSettings,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(TOKENS.Metrics) metrics: Metrics,
    @inject(KIT_TOKENS.Admission) private readonly admission: Admission,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      // The JSON of a hubbub.v1 send may be larger than its text; each protocol then checks
      // the message itself against --max-message-bytes.
      maxPayload: maxV1FrameBytes(config.maxMessageBytes),
      perMessageDeflate: config.permessageDeflate,
      // This transport keeps its own set of connections (for the sweep and for stop()).
      clientTracking: false,
      handleProtocols: (offered) => (offered.has(HUBBUB_V1) ? HUBBUB_V1 : false),
    });
    // A malformed upgrade (no key, wrong version, ...): counted, logged, and answered 400.
    this.wss.on('wsClientError', (error, socket, request) => {
      this.admission.rejected(this.name, 'bad_request', {
        remote: peerAddress(request.socket),
        error: error.message,
      });
      answerBadHandshake(socket, error.message);
    });
    this.cache = new OutboundCache(config.sendBuffer + 1);
    const shared = {
      ...config,
      highWaterBytes: HIGH_WATER_BYTES,
      cache: this.cache,
      scheduleFlush: this.scheduleFlush,
      closed: (connection: WsConnection) => {
        this.connections.delete(connection);
        this.admission.release(connection.address);
      },
      takeEagerlyAfter: Math.max(1, Math.floor(config.sendBuffer / 4)),
      onSocketError: socketErrorLogger(logger),
      rateLimit: rateLimitOf(config),
      metrics: metrics.forTransport(this.name),
    };
    this.settings = {
      plain: { ...shared, protocol: 'plain' },
      'hubbub.v1': { ...shared, protocol: 'hubbub.v1' },
    };
  }

  /** The web server hands every upgrade on `/ws` to this transport. */
  readonly upgradeRoute: UpgradeRoute = {
    path: WS_PATH,
    handle: (request, socket, head) => this.onUpgrade(request, socket, head),
  };

  async start(): Promise<void> {
    const { pingIntervalMs, pongTimeoutMs, writeTimeoutMs } = this.config;
    this.connections.start(pingIntervalMs, pongTimeoutMs, writeTimeoutMs);
  }

  // Upgrades keep being answered (503, as the hub is closed) while the web server runs.
  async stop(): Promise<void> {
    const open = [...this.connections].map((connection) => connection.ws);
    await Promise.all(open.map((ws) => this.closeAndWait(ws)));
    this.connections.stop();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Until ws owns the socket, its errors are ours to handle: one bad client must not crash us.
    const onError = (error: NodeJS.ErrnoException): void => {
      this.logger.debug('upgrade socket error', {
        remote: peerAddress(request.socket),
        code: error.code,
      });
      socket.destroy();
    };
    socket.on('error', onError);
    try {
      const { origin, host } = request.headers;
      if (!this.hub.isClosed && !isOriginAllowed(origin, host, this.config.allowedOrigins)) {
        this.admission.rejected(this.name, 'origin_not_allowed', {
          remote: peerAddress(request.socket),
          origin,
          host,
        });
        endWithStatus(socket, 403);
        return;
      }
      const address = request.socket.remoteAddress;
      const refusal = this.admission.admit(this.name, request.socket);
      if (refusal !== undefined) {
        endWithStatus(socket, refusal.status, refusal.text);
        return;
      }
      let accepted = false;
      // Synchronous without a verifyClient: if ws refused the handshake, the place is free again.
      try {
        this.wss.handleUpgrade(request, socket, head, (ws) => {
          accepted = true;
          socket.off('error', onError);
          this.accept(ws, request.socket, address);
        });
      } finally {
        if (!accepted) this.admission.release(address);
      }
    } catch (error) {
      this.logger.error('upgrade failed', {
        remote: peerAddress(request.socket),
        error: String(error),
      });
      socket.destroy();
    }
  };

  private accept(ws: WebSocket, socket: Socket, address: string | undefined): void {
    const settings = this.settings[ws.protocol === HUBBUB_V1 ? 'hubbub.v1' : 'plain'];
    const connection = new WsConnection(ws, socket, settings, this.logger, address);
    try {
      connection.attach(this.hub.connect(connection));
      this.connections.add(connection);
    } catch (error) {
      if (error instanceof HubClosedError) {
        void this.closeAndWait(ws); // 1001, and cut off if it does not answer
        return;
      }
      this.logger.error('connection could not join the hub', { error: String(error) });
      ws.terminate();
    }
  }

  /** Resolves once `ws` has closed, cutting it off if it does not answer within the grace. */
  private closeAndWait(ws: WebSocket): Promise<void> {
    if (ws.readyState === ws.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const cutOff = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
      ws.once('close', () => {
        clearTimeout(cutOff);
        resolve();
      });
      if (ws.readyState === ws.OPEN) ws.close(CloseCode.GoingAway, CloseReason.shuttingDown);
    });
  }
}
