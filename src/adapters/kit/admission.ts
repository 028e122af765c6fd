import type { Socket } from 'node:net';
import { inject, injectable } from 'inversify';
import type { Config } from '../../app/config.ts';
import type { LogFields, Logger } from '../../app/ports/logger.port.ts';
import type { Metrics, RejectionReason } from '../../app/ports/metrics.port.ts';
import type { Hub } from '../../app/ports/transport.port.ts';
import { TOKENS } from '../../app/tokens.ts';
import { peerAddress } from './peer-address.ts';

/** Why a client was turned away, and the HTTP status that says so. */
export type Refusal = Readonly<{ reason: RejectionReason; status: 429 | 503; text: string }>;

/** `::ffff:192.0.2.1` and `192.0.2.1` are one client. */
export const clientKey = (address: string): string =>
  address.startsWith('::ffff:') ? address.slice(7) : address;

/**
 * The connection limits, for every transport together: `--max-connections` in total (503) and
 * `--max-connections-per-ip` from one address (429). A transport asks before it accepts a
 * client and gives the place back when the connection ends. Every refusal of any kind is
 * counted and logged here, once per refused client.
 */
// No #private members: esbuild (tsx) lowers them to WeakMap lookups in decorated classes.
@injectable()
export class Admission {
  private total = 0;
  private readonly byAddress = new Map<string, number>();

  constructor(
    @inject(TOKENS.Config) private readonly config: Config,
    @inject(TOKENS.Hub) private readonly hub: Hub,
    @inject(TOKENS.Metrics) private readonly metrics: Metrics,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  /** Connections holding a place now. */
  get open(): number {
    return this.total;
  }

  /**
   * Takes a place for the client at the other end of `socket`, or returns why not (already
   * counted and logged). Every place taken must be given back exactly once, with
   * `release(socket.remoteAddress)` as read here (a closed socket may have forgotten it).
   */
  admit(
    transport: string,
    socket: Pick<Socket, 'remoteAddress' | 'remotePort'>,
  ): Refusal | undefined {
    const address = socket.remoteAddress;
    const refusal = this.refusalFor(address === undefined ? '' : clientKey(address));
    if (refusal !== undefined) {
      this.rejected(transport, refusal.reason, { remote: peerAddress(socket) });
      return refusal;
    }
    this.total += 1;
    if (address !== undefined) {
      const key = clientKey(address);
      this.byAddress.set(key, (this.byAddress.get(key) ?? 0) + 1);
    }
    return undefined;
  }

  /** Room for one more connection under `--max-connections` (the per-address cap aside). */
  get hasRoom(): boolean {
    const { maxConnections } = this.config;
    return maxConnections === 0 || this.total < maxConnections;
  }

  release(address: string | undefined): void {
    if (this.total === 0) {
      // A transport gave a place back twice: a bug of ours that would let clients past the cap.
      this.logger.error('connection place released twice', { remote: address });
      return;
    }
    this.total -= 1;
    if (address === undefined) return;
    const key = clientKey(address);
    const count = (this.byAddress.get(key) ?? 0) - 1;
    if (count > 0) this.byAddress.set(key, count);
    else this.byAddress.delete(key);
  }

  /** Counts and logs a client or request turned away, for any reason. */
  rejected(transport: string, reason: RejectionReason, fields: LogFields = {}): void {
    this.metrics.rejected(transport, reason);
    this.logger.warn('connection rejected', { transport, reason, ...fields });
  }

  private refusalFor(key: string): Refusal | undefined {
    const { maxConnections, maxConnectionsPerIp } = this.config;
    if (this.hub.isClosed) {
      return { reason: 'shutting_down', status: 503, text: 'server shutting down' };
    }
    if (maxConnections > 0 && this.total >= maxConnections) {
      return { reason: 'max_connections', status: 503, text: 'too many connections' };
    }
    if (maxConnectionsPerIp > 0 && (this.byAddress.get(key) ?? 0) >= maxConnectionsPerIp) {
      return {
        reason: 'max_connections_per_ip',
        status: 429,
        text: 'too many connections from your address',
      };
    }
    return undefined;
  }
}
