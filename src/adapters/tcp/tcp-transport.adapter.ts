import { createServer, type Server, type Socket } from 'node:net';
import { inject, injectable } from 'inversify';
import type { Config } from '../../app/config.ts';
import type { Transport } from '../../app/ports/transport.port.ts';
import { DEFAULT_ROOM } from '../../domain/rooms/index.ts';
import { cutOffAfter } from '../kit/closing.ts';
import { ConnectionSweep } from '../kit/connection-sweep.ts';
import { guestName } from '../kit/guest-name.ts';
import { joinRefusalText } from '../kit/join-hub.ts';
import { KIT_TOKENS } from '../kit/kit.tokens.ts';
import { listenError } from '../kit/listen-error.ts';
import { socketErrorLogger } from '../kit/peer-address.ts';
import type { TransportKit } from '../kit/transport-kit.ts';
import { ServerLine } from './line-codec.ts';
import { TCP_SETTINGS, type TcpSettings, tcpSettings } from './tcp.settings.ts';
import { LINE, TcpConnection, type TcpConnectionSettings } from './tcp-connection.ts';

/** A last line for a client that is not let in; one that does not close in time is cut off. */
const turnAway = (socket: Socket, line: string): void => {
  socket.on('error', () => socket.destroy());
  socket.end(line);
  cutOffAfter(socket);
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
  private readonly connections = new ConnectionSweep();
  private readonly settings: TcpConnectionSettings;

  constructor(
    @inject(KIT_TOKENS.TransportKit) private readonly kit: TransportKit,
    @inject(TCP_SETTINGS) private readonly config: Config & TcpSettings,
  ) {
    this.settings = {
      ...kit.connectionSettings(this.name, config, this.connections),
      encoding: LINE,
      lastWords: { evicted: ServerLine.sendBufferFull, shutdown: ServerLine.shuttingDown },
      maxMessageBytes: config.maxMessageBytes,
      onSocketError: socketErrorLogger(kit.logger),
    };
  }

  /** The port listened on, once started; `undefined` when TCP is off. */
  get port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  async start(): Promise<void> {
    const port = this.config.tcpPort;
    if (port === undefined || this.server !== undefined) return;
    const server = createServer((socket) => this.accept(socket));
    const { host } = this.config;
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void =>
        reject(listenError(error, { flag: tcpSettings.tcpPort.flag, value: port }, host));
      server.once('error', failed);
      server.listen(port, host, () => {
        server.off('error', failed);
        resolve();
      });
    });
    server.on('error', (error) =>
      this.kit.logger.error('tcp listener failed', { error: String(error) }),
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
    await this.connections.closeAll();
    await listenerClosed;
    this.server = undefined;
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress;
    const refusal =
      this.kit.admission.admitSocket(this.name, socket) ??
      this.kit.admission.admit(this.name, socket);
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
    const connection = new TcpConnection(socket, this.settings, address);
    const placement = { room: DEFAULT_ROOM, name: guestName() };
    this.kit.join(connection, placement, this.connections, (why) =>
      turnAway(
        socket,
        why === 'shutdown' ? ServerLine.shuttingDown : `error: ${joinRefusalText(why)}\n`,
      ),
    );
  }
}
