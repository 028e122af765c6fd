import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { inject, injectable } from 'inversify';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Config } from '../../app/config.ts';
import { HubClosedError, type HubService } from '../../app/hub-service.ts';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { Transport } from '../../app/ports/transport.port.ts';
import { TOKENS } from '../../app/tokens.ts';
import { CloseCode, CloseReason } from './close-codes.ts';
import { isOriginAllowed } from './origin-policy.ts';
import { WsConnection } from './ws-connection.ts';

export const WS_PATH = '/ws';
const HIGH_WATER_BYTES = 64 * 1024;
/** How long stop() waits for clients to answer the 1001 close before cutting them off. */
const CLOSE_GRACE_MS = 2_000;

const refuse = (socket: Duplex, status: number, text: string): void => {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
};

/** WebSocket clients on `/ws` of the web server, one chat message per text frame. */
@injectable()
export class WsTransport implements Transport {
  readonly name = 'ws';
  readonly #wss: WebSocketServer;

  constructor(
    @inject(TOKENS.HttpServer) private readonly server: Server,
    @inject(TOKENS.HubService) private readonly hub: HubService,
    @inject(TOKENS.Config) private readonly config: Config,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: config.maxMessageBytes,
      perMessageDeflate: false,
      clientTracking: true,
    });
  }

  async start(): Promise<void> {
    this.server.on('upgrade', this.#onUpgrade);
  }

  // Upgrades keep being answered (503, as the hub is closed) until every client has gone.
  async stop(): Promise<void> {
    const open = [...this.#wss.clients];
    await Promise.all(open.map((ws) => this.#closed(ws)));
    this.server.off('upgrade', this.#onUpgrade);
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  readonly #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', (error) => {
      this.logger.warn('upgrade socket error', { error: error.message });
      socket.destroy();
    });
    const refusal = this.#refusal(request);
    if (refusal !== undefined) {
      refuse(socket, ...refusal);
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, request));
  };

  #refusal(request: IncomingMessage): [status: number, text: string] | undefined {
    const path = new URL(request.url ?? '/', 'http://upgrade.invalid').pathname;
    if (path !== WS_PATH) return [404, 'Not Found'];
    if (this.hub.isClosed) return [503, 'Service Unavailable'];
    const { origin, host } = request.headers;
    if (!isOriginAllowed(origin, host, this.config.allowedOrigins)) {
      this.logger.warn('upgrade refused: origin not allowed', { origin, host });
      return [403, 'Forbidden'];
    }
    return undefined;
  }

  #accept(ws: WebSocket, request: IncomingMessage): void {
    const remote = `${request.socket.remoteAddress}:${request.socket.remotePort}`;
    const connection = new WsConnection(
      ws,
      { ...this.config, highWaterBytes: HIGH_WATER_BYTES },
      this.logger,
      remote,
    );
    try {
      connection.attach(this.hub.connect(connection));
    } catch (error) {
      if (!(error instanceof HubClosedError)) throw error;
      ws.close(CloseCode.GoingAway, CloseReason.shuttingDown);
    }
  }

  /** Resolves once `ws` has closed, cutting it off if it does not answer within the grace. */
  #closed(ws: WebSocket): Promise<void> {
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
