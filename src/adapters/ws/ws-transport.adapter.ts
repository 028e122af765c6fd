import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { inject, injectable } from 'inversify';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Config } from '../../app/config.ts';
import type { Transport } from '../../app/ports/transport.port.ts';
import type { RoomsHub } from '../../app/rooms/rooms-hub.ts';
import { TOKENS } from '../../app/tokens.ts';
import { DEFAULT_ROOM } from '../../domain/rooms/index.ts';
import { BatchWindow } from '../kit/batch-window.ts';
import { ConnectionSweep } from '../kit/connection-sweep.ts';
import { guestName } from '../kit/guest-name.ts';
import type { UpgradeRoute } from '../kit/http-route.ts';
import { KIT_TOKENS } from '../kit/kit.tokens.ts';
import { KIT_SETTINGS, type OriginSettings } from '../kit/origin.settings.ts';
import { isOriginAllowed } from '../kit/origin-policy.ts';
import { peerAddress, socketErrorLogger } from '../kit/peer-address.ts';
import { endWithStatus } from '../kit/raw-http-answer.ts';
import { rateLimitOf } from '../kit/token-bucket.ts';
import type { TransportKit } from '../kit/transport-kit.ts';
import { answerBadHandshake } from './handshake-refusal.ts';
import { HUBBUB_V1, maxV1FrameBytes } from './hubbub-v1.ts';
import { HUBBUB_V2, maxV2FrameBytes } from './hubbub-v2.ts';
import { queryOf, type UpgradeQuery } from './upgrade-query.ts';
import { V1Batches } from './v1-batches.ts';
import { V2Connection, type V2Settings } from './v2-connection.ts';
import { WS_SETTINGS, type WsSettings } from './ws.settings.ts';
import { WsConnection, type WsConnectionSettings } from './ws-connection.ts';

export const WS_PATH = '/ws';

/** WebSocket clients on `/ws` of the web server, one chat message per text frame. */
// No #private members: esbuild (tsx) lowers them to WeakMap lookups in decorated classes.
@injectable()
export class WsTransport implements Transport {
  readonly name = 'ws';
  private readonly wss: WebSocketServer;
  /** For clients that offer hubbub.v2. */
  private readonly wssV2: WebSocketServer;
  /** Open connections, swept for keepalive and write deadlines by one timer, not one each. */
  private readonly connections = new ConnectionSweep();
  /** Shared by every connection of a kind: nothing per connection but the connection. */
  private readonly settings: Readonly<
    Record<'plain' | 'v1' | 'plainDeflate' | 'v1Deflate', WsConnectionSettings>
  >;

  /** What every hubbub.v2 connection shares. */
  private readonly v2: V2Settings;

  constructor(
    @inject(KIT_TOKENS.TransportKit) private readonly kit: TransportKit,
    @inject(WS_SETTINGS) private readonly config: Config & WsSettings,
    @inject(KIT_SETTINGS) private readonly origins: OriginSettings,
    @inject(TOKENS.RoomsHub) rooms: RoomsHub,
  ) {
    // One server per frame limit (ws takes it per server): the JSON of a hubbub.v1 send may be
    // larger than its text, a hubbub.v2 frame has up to 1 KiB of envelope; each protocol then
    // checks the message itself against --max-message-bytes.
    const serverFor = (maxPayload: number, protocol: string | false): WebSocketServer => {
      const server = new WebSocketServer({
        noServer: true,
        maxPayload,
        perMessageDeflate: config.permessageDeflate,
        // This transport keeps its own set of connections (for the sweep and for stop()).
        clientTracking: false,
        handleProtocols: (offered) =>
          protocol !== false && offered.has(protocol) ? protocol : false,
      });
      // A malformed upgrade (no key, wrong version, ...): counted, logged, and answered 400.
      server.on('wsClientError', (error, socket, request) => {
        this.kit.admission.rejected(this.name, 'bad_request', {
          remote: peerAddress(request.socket),
          error: error.message,
        });
        answerBadHandshake(socket, error.message);
      });
      return server;
    };
    this.wss = serverFor(maxV1FrameBytes(config.maxMessageBytes), HUBBUB_V1);
    this.wssV2 = serverFor(maxV2FrameBytes(config.maxMessageBytes), HUBBUB_V2);
    const shared = {
      ...config,
      ...kit.connectionSettings(this.name, config, this.connections),
      onSocketError: socketErrorLogger(kit.logger),
    };
    const batches = new V1Batches();
    const kind = (protocol: 'plain' | 'hubbub.v1', deflate: boolean): WsConnectionSettings => ({
      ...shared,
      wire: { protocol, deflate, batches },
    });
    this.v2 = {
      rooms,
      logger: kit.logger,
      maxMessageBytes: config.maxMessageBytes,
      pingIntervalMs: config.pingIntervalMs,
      pongTimeoutMs: config.pongTimeoutMs,
      writeTimeoutMs: config.writeTimeoutMs,
      batch: new BatchWindow(config.batchWindowMs),
      rateLimit: rateLimitOf(config),
      withinAddressBudget: kit.withinAddressBudget,
      releaseSocket: (socket) => kit.admission.releaseSocket(socket),
      closed: (connection) => {
        this.connections.delete(connection);
        kit.admission.release();
      },
    };
    this.settings = {
      plain: kind('plain', false),
      v1: kind('hubbub.v1', false),
      plainDeflate: kind('plain', true),
      v1Deflate: kind('hubbub.v1', true),
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
    await this.connections.closeAll();
    this.connections.stop();
    await Promise.all(
      [this.wss, this.wssV2].map(
        (server) => new Promise<void>((resolve) => server.close(() => resolve())),
      ),
    );
  }

  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Until ws owns the socket, its errors are ours to handle: one bad client must not crash us.
    const onError = (error: NodeJS.ErrnoException): void => {
      this.kit.logger.debug('upgrade socket error', {
        remote: peerAddress(request.socket),
        code: error.code,
      });
      socket.destroy();
    };
    socket.on('error', onError);
    try {
      const { origin, host } = request.headers;
      if (!this.kit.hub.isClosed && !isOriginAllowed(origin, host, this.origins.allowedOrigins)) {
        this.kit.admission.rejected(this.name, 'origin_not_allowed', {
          remote: peerAddress(request.socket),
          origin,
          host,
        });
        endWithStatus(socket, 403);
        return;
      }
      const query = queryOf(request.url);
      if (query === undefined) {
        this.kit.admission.rejected(this.name, 'bad_request', {
          remote: peerAddress(request.socket),
          error: 'bad ?name or ?room',
        });
        endWithStatus(socket, 400, 'bad ?name (1-32 characters, no control characters) or ?room');
        return;
      }
      const address = request.socket.remoteAddress;
      const refusal = this.kit.admission.admit(this.name, request.socket);
      if (refusal !== undefined) {
        endWithStatus(socket, refusal.status, refusal.text);
        return;
      }
      let accepted = false;
      // Synchronous without a verifyClient: if ws refused the handshake, the place is free again.
      try {
        const offered = String(request.headers['sec-websocket-protocol'] ?? '');
        const server = /(^|,)\s*hubbub\.v2\s*(,|$)/.test(offered) ? this.wssV2 : this.wss;
        server.handleUpgrade(request, socket, head, (ws) => {
          accepted = true;
          socket.off('error', onError);
          this.accept(ws, request.socket, address, query);
        });
      } finally {
        if (!accepted) this.kit.admission.release();
      }
    } catch (error) {
      this.kit.logger.error('upgrade failed', {
        remote: peerAddress(request.socket),
        error: String(error),
      });
      socket.destroy();
    }
  };

  private accept(
    ws: WebSocket,
    socket: Socket,
    address: string | undefined,
    query: UpgradeQuery,
  ): void {
    const name = query.name ?? guestName();
    if (ws.protocol === HUBBUB_V2) {
      const connection = new V2Connection(ws, socket, this.v2, address, name);
      this.connections.add(connection);
      if (!connection.start()) void connection.closeAndWait();
      return;
    }
    const v1 = ws.protocol === HUBBUB_V1;
    const deflate = ws.extensions.includes('permessage-deflate');
    const kind = deflate ? (v1 ? 'v1Deflate' : 'plainDeflate') : v1 ? 'v1' : 'plain';
    const connection = new WsConnection(ws, socket, this.settings[kind], address);
    const placement = { room: query.room ?? DEFAULT_ROOM, name };
    // 1001 to a client that arrives as the hub shuts down (cut off if it does not answer), 1013
    // when its room cannot take it.
    this.kit.join(connection, placement, this.connections, (why) => connection.refuseJoin(why));
  }
}
