import { createServer, type Server, type Socket } from 'node:net';
import { inject, injectable } from 'inversify';
import type { Admission } from '../../app/admission.ts';
import { type Config, settingOf } from '../../app/config.ts';
import { ConnectionSweep } from '../../app/connection-sweep.ts';
import { socketErrorLogger } from '../../app/peer-address.ts';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { Metrics } from '../../app/ports/metrics.port.ts';
import type { Hub, Transport } from '../../app/ports/transport.port.ts';
import { HubClosedError } from '../../app/session.ts';
import { rateLimitOf } from '../../app/token-bucket.ts';
import { TOKENS } from '../../app/tokens.ts';
import { listenError } from '../kit/listen-error.ts';
import { ServerLine } from './line-codec.ts';
import { TcpConnection, type TcpConnectionSettings } from './tcp-connection.ts';
import { TCP_PORT } from './tcp-settings.ts';

const HIGH_WATER_BYTES = 64 * 1024;
/** How long stop() waits for clients to close before destroying their sockets. */
const CLOSE_GRACE_MS = 2_000;

/** A last line for a client that is not let in; one that does not close in time is cut off. */
const turnAway = (socket: Socket, line: string): void => {
  socket.on('error', () => socket.destroy());
  socket.end(line);
  setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
};

/**
 * The TCP line protocol on `--tcp-port` (off unless set): each line received is a message,
 * each broadcast is sent as one line. `nc localhost 8081` joins the chat.
 */
// No #private members: esbuild (tsx) lowers them to WeakMap lookups in decorated classes.
@injectable()
export class TcpTransport implements Transport {
  readonly name = 'tcp';
  private server: Server | undefined;
  private readonly connections = new ConnectionSweep<TcpConnection>();
  private readonly settings: TcpConnectionSettings;

  constructor(
    @inject(TOKENS.Hub) private readonly hub: Hub,
    @inject(TOKENS.Config) private readonly config: Config,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(TOKENS.Metrics) metrics: Metrics,
    @inject(TOKENS.Admission) private readonly admission: Admission,
  ) {
    this.settings = {
      maxMessageBytes: config.maxMessageBytes,
      sendBuffer: config.sendBuffer,
      writeTimeoutMs: config.writeTimeoutMs,
      highWaterBytes: HIGH_WATER_BYTES,
      takeEagerlyAfter: Math.max(1, Math.floor(config.sendBuffer / 4)),
      closeGraceMs: CLOSE_GRACE_MS,
      closed: (connection) => {
        this.connections.delete(connection);
        this.admission.release(connection.address);
      },
      onSocketError: socketErrorLogger(logger),
      rateLimit: rateLimitOf(config),
      metrics: metrics.forTransport(this.name),
    };
  }

  /** The port listened on, once started; `undefined` when TCP is off. */
  get port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  async start(): Promise<void> {
    const port = settingOf(this.config, TCP_PORT);
    if (port === undefined || this.server !== undefined) return;
    const server = createServer((socket) => this.accept(socket));
    const { host } = this.config;
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void =>
        reject(listenError(error, { flag: TCP_PORT.flag, value: port }, host));
      server.once('error', failed);
      server.listen(port, host, () => {
        server.off('error', failed);
        resolve();
      });
    });
    server.on('error', (error) =>
      this.logger.error('tcp listener failed', { error: String(error) }),
    );
    this.server = server;
    this.connections.start(this.config.writeTimeoutMs);
  }

  /** Stops listening and waits for every socket to close, destroying those that take too long. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.connections.stop();
    const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all(
      [...this.connections].map((connection) => this.closeAndWait(connection.socket)),
    );
    await listenerClosed;
    this.server = undefined;
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress;
    const refusal = this.admission.admit(this.name, socket);
    if (refusal !== undefined) {
      const shuttingDown = refusal.reason === 'shutting_down';
      turnAway(socket, shuttingDown ? ServerLine.shuttingDown : `error: ${refusal.text}\n`);
      return;
    }
    // From here the place is given back when the socket closes, whatever happens.
    // The line protocol has no ping: the kernel's keepalive probes find peers that vanished
    // without a FIN once the connection has been quiet for --ping-interval-ms.
    // (Node rounds the delay down to whole seconds, and the kernel refuses 0.)
    socket.setKeepAlive(true, Math.max(1_000, this.config.pingIntervalMs));
    const connection = new TcpConnection(socket, this.settings, this.logger, address);
    try {
      connection.attach(this.hub.connect(connection));
      this.connections.add(connection);
    } catch (error) {
      if (error instanceof HubClosedError) {
        turnAway(socket, ServerLine.shuttingDown);
        return;
      }
      this.logger.error('connection could not join the hub', { error: String(error) });
      socket.destroy();
    }
  }

  private closeAndWait(socket: Socket): Promise<void> {
    if (socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const cutOff = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
      socket.once('close', () => {
        clearTimeout(cutOff);
        resolve();
      });
      // Connections still registered were sent the shutdown line by the hub's shutdown.
      if (!socket.writableEnded) socket.end(ServerLine.shuttingDown);
    });
  }
}
