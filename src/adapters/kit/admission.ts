import type { Socket } from 'node:net';
import { inject, injectable } from 'inversify';
import type { Config } from '../../app/config.ts';
import type { LogFields, Logger } from '../../app/ports/logger.port.ts';
import type { Metrics, RejectionReason } from '../../app/ports/metrics.port.ts';
import type { Hub } from '../../app/ports/transport.port.ts';
import { TOKENS } from '../../app/tokens.ts';
import { peerAddress } from './peer-address.ts';
import { RefusalLog } from './refusal-log.ts';

/** Why a client was turned away, and the HTTP status that says so. */
export type Refusal = Readonly<{ reason: RejectionReason; status: 429 | 503; text: string }>;

/** `::ffff:192.0.2.1` and `192.0.2.1` are one client. */
export const clientKey = (address: string): string =>
  address.startsWith('::ffff:') ? address.slice(7) : address;

/** The client address of a `peerAddress` (`192.0.2.1:5000`, `::1:5000`): the port dropped. */
const addressOfPeer = (remote: unknown): string =>
  typeof remote === 'string' && remote.lastIndexOf(':') > 0
    ? clientKey(remote.slice(0, remote.lastIndexOf(':')))
    : 'unknown';

const PER_IP_REFUSAL: Refusal = {
  reason: 'max_connections_per_ip',
  status: 429,
  text: 'too many connections from your address',
};

/**
 * The connection limits, for every transport together, and the one place that counts and logs
 * refusals.
 *
 * - `--max-connections-per-ip` counts sockets from the moment they are accepted, whatever they
 *   become (an HTTP request, keep-alive, a WebSocket, an event stream, a TCP line client): past
 *   it a socket is refused at once (`admitSocket`), so one address cannot hold the server's file
 *   descriptors. Its place is given back when the socket closes.
 * - `--max-connections` counts connections in the hub (503): a transport asks with `admit` before
 *   it registers one, and gives the place back with `release` when the connection ends.
 */
// No #private members: esbuild (tsx) lowers them to WeakMap lookups in decorated classes.
@injectable()
export class Admission {
  private total = 0;
  private readonly socketsByAddress = new Map<string, number>();
  /** One 'close' listener for every counted socket (`this` is the socket): nothing per socket. */
  private readonly socketClosed: (this: Socket) => void;
  private readonly refusals: RefusalLog;

  constructor(
    @inject(TOKENS.Config) private readonly config: Config,
    @inject(TOKENS.Hub) private readonly hub: Hub,
    @inject(TOKENS.Metrics) private readonly metrics: Metrics,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {
    this.refusals = new RefusalLog(logger);
    const admission = this;
    this.socketClosed = function (this: Socket) {
      this.off('close', admission.socketClosed);
      admission.freePlaceOf(this);
    };
  }

  /** Connections in the hub holding a place now. */
  get open(): number {
    return this.total;
  }

  /** Sockets open now from `address` (as accepted, whatever they became). */
  socketsFrom(address: string): number {
    return this.socketsByAddress.get(clientKey(address)) ?? 0;
  }

  /**
   * Counts a socket just accepted against its address, or returns why not (already counted and
   * logged): the caller answers and ends it. The place is given back when the socket closes.
   */
  admitSocket(transport: string, socket: Socket): Refusal | undefined {
    const key = clientKey(socket.remoteAddress ?? 'unknown');
    const count = this.socketsByAddress.get(key) ?? 0;
    const cap = this.config.maxConnectionsPerIp;
    if (cap > 0 && count >= cap) {
      this.rejected(transport, PER_IP_REFUSAL.reason, { remote: peerAddress(socket) });
      return PER_IP_REFUSAL;
    }
    this.socketsByAddress.set(key, count + 1);
    socket.on('close', this.socketClosed); // 'close' comes once: no wrapper per socket
    return undefined;
  }

  /**
   * Gives the per-address place of `socket` back before it closes: a client the server has
   * refused and is only saying goodbye to holds no place. Later calls, and the close, do nothing.
   */
  releaseSocket(socket: Socket): void {
    if (!socket.listeners('close').includes(this.socketClosed)) return;
    socket.off('close', this.socketClosed);
    this.freePlaceOf(socket);
  }

  private freePlaceOf(socket: Pick<Socket, 'remoteAddress'>): void {
    // The address was read at accept, so a closed socket still knows it.
    const key = clientKey(socket.remoteAddress ?? 'unknown');
    const left = (this.socketsByAddress.get(key) ?? 0) - 1;
    if (left > 0) this.socketsByAddress.set(key, left);
    else this.socketsByAddress.delete(key);
  }

  /**
   * Takes a place in the hub for the client at the other end of `socket`, or returns why not
   * (already counted and logged). Every place taken must be given back exactly once.
   */
  admit(
    transport: string,
    socket: Pick<Socket, 'remoteAddress' | 'remotePort'>,
  ): Refusal | undefined {
    const refusal = this.refusalFor();
    if (refusal !== undefined) {
      this.rejected(transport, refusal.reason, { remote: peerAddress(socket) });
      return refusal;
    }
    this.total += 1;
    return undefined;
  }

  /** Room for one more connection under `--max-connections`. */
  get hasRoom(): boolean {
    const { maxConnections } = this.config;
    return maxConnections === 0 || this.total < maxConnections;
  }

  release(): void {
    if (this.total === 0) {
      // A transport gave a place back twice: a bug of ours that would let clients past the cap.
      this.logger.error('connection place released twice');
      return;
    }
    this.total -= 1;
  }

  /**
   * Counts a client or request turned away, for any reason, and logs it: the first refusal of
   * an address at once, the rest of the interval as one line with their count.
   */
  rejected(transport: string, reason: RejectionReason, fields: LogFields = {}): void {
    this.metrics.rejected(transport, reason);
    this.refusals.refused(addressOfPeer(fields.remote), transport, reason, fields);
  }

  /** Logs the refusals held back (at shutdown). */
  stop(): void {
    this.refusals.stop();
  }

  private refusalFor(): Refusal | undefined {
    const { maxConnections } = this.config;
    if (this.hub.isClosed) {
      return { reason: 'shutting_down', status: 503, text: 'server shutting down' };
    }
    if (maxConnections > 0 && this.total >= maxConnections) {
      return { reason: 'max_connections', status: 503, text: 'too many connections' };
    }
    return undefined;
  }
}
