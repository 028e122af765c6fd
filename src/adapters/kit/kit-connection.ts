import type { Socket } from 'node:net';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { Peer } from '../../app/ports/transport.port.ts';
import type { Session, TransportDeparture } from '../../app/session.ts';
import type { DepartureReason } from '../../domain/index.ts';
import type { Epoch } from '../../domain/rooms/index.ts';
import type { Swept } from './connection-sweep.ts';
import { Delivery } from './delivery.ts';
import type { DeliverySettings } from './delivery-settings.ts';
import { peerAddress } from './peer-address.ts';
import { bucketFor, type RateLimit, type TokenBucket } from './token-bucket.ts';

/** What every connection of one transport shares. */
export type ConnectionSettings = DeliverySettings &
  Readonly<{
    /** The transport's name (`ws`, `sse`, ...), for logs and metrics. */
    transport: string;
    logger: Logger;
    rateLimit: RateLimit;
    /** Takes one message from the budget of a client address (`--rate-limit-per-ip`). */
    withinAddressBudget: (address: string | undefined) => boolean;
    /** Gives the per-address place of a socket back before it closes (a refused client). */
    releaseSocket: (socket: Socket) => void;
    /** The socket has closed: the transport forgets the connection and gives its place back. */
    closed: (connection: KitConnection) => void;
  }>;

/**
 * One client of a transport, as the hub sees it (`Peer`): delivery by the kit's one policy,
 * the rate limit on what it sends, and its departure, reported to the hub once. A transport
 * adds its wire: encoding, reading, closing.
 */
export abstract class KitConnection<S extends ConnectionSettings = ConnectionSettings>
  extends Delivery<S>
  implements Peer, Swept
{
  /** Made on the first message: connections that only listen never need one. */
  #bucket: TokenBucket | undefined;
  #ended = false;

  constructor(
    settings: S,
    /** The client's address, as the connection limits counted it. */
    readonly address: string | undefined,
  ) {
    super(settings);
  }

  /** The client's socket, for its address in logs. */
  abstract readonly socket: Pick<Socket, 'remoteAddress' | 'remotePort'>;
  /** The hub removed this connection: its buffer overflowed, or the hub is shutting down. */
  abstract close(reason: DepartureReason): void;
  /**
   * The room's numbering restarted (the `Peer` port): the transport tells its client and
   * follows it, or ends the connection so that the client reconnects.
   */
  abstract renumbered(epoch: Epoch): void;
  /** Cuts the connection at once. */
  abstract destroy(): void;
  /** Keepalive and the write deadline, called by the transport's sweep. */
  abstract checkTimers(now: number): void;
  /** Says goodbye and resolves once the connection has closed, cut off after a grace. */
  abstract closeAndWait(): Promise<void>;

  get transport(): string {
    return this.settings.transport;
  }

  /** Who is at the other end, for logs; looked up when asked (it costs memory on every socket). */
  get remote(): string {
    return peerAddress(this.socket);
  }

  /** The connection joined the hub: delivery starts, and what it sends is read from now. */
  attach(session: Session): void {
    this.startDelivery(session);
  }

  /**
   * Takes one message's worth of the rate limits, the connection's own and its address's (all
   * its connections together); false when the sender is over either.
   */
  protected withinRate(): boolean {
    const at = performance.now();
    this.#bucket ??= bucketFor(this.settings.rateLimit, at);
    if (this.#bucket !== undefined && !this.#bucket.take(at)) return false;
    return this.settings.withinAddressBudget(this.address);
  }

  /** The connection ends: no more delivery, and the hub is told why (once; later calls do nothing). */
  protected leave(reason: TransportDeparture, detail: string): void {
    this.stopDelivery();
    this.session?.leave(reason, detail);
  }

  /**
   * The room's numbering restarted and this wire carries no epoch: what was taken goes out, the
   * connection leaves the hub, and `goodbye` tells the client to reconnect. Before delivery
   * began there is nothing to tell: it starts at the new numbering.
   */
  protected endRenumbered(detail: string, goodbye: () => void): void {
    if (this.session === undefined || this.deliveryStopped) return;
    this.finalDelivery(false);
    this.leave('dropped', detail);
    goodbye();
  }

  protected deliveryFailed(error: unknown): void {
    this.settings.logger.error('connection failed', { remote: this.remote, error: String(error) });
    this.leave('dropped', 'internal error');
    this.destroy();
  }

  /** The socket has closed. */
  get ended(): boolean {
    return this.#ended;
  }

  /** The socket closed: the transport forgets this connection. */
  protected onClosed(): void {
    this.#ended = true;
    this.settings.closed(this);
  }
}
