import { inject, injectable } from 'inversify';
import type { Config } from '../../app/config.ts';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { Metrics } from '../../app/ports/metrics.port.ts';
import type { Hub, Placement } from '../../app/ports/transport.port.ts';
import { TOKENS } from '../../app/tokens.ts';
import { type Admission, clientKey } from './admission.ts';
import type { ConnectionSweep } from './connection-sweep.ts';
import { deliverySettingsOf } from './delivery-settings.ts';
import { type JoinRefusal, joinHub } from './join-hub.ts';
import { KIT_TOKENS } from './kit.tokens.ts';
import type { ConnectionSettings, KitConnection } from './kit-connection.ts';
import { addressRateLimitOf, RateLimitsByAddress, rateLimitOf } from './token-bucket.ts';

type SharedConfig = Pick<
  Config,
  'sendBuffer' | 'writeTimeoutMs' | 'batchWindowMs' | 'rateLimit' | 'rateLimitBurst'
>;

/** What a transport needs from the rest of the service: one injection instead of four. */
// No #private members: esbuild (tsx) lowers them to WeakMap lookups in decorated classes.
@injectable()
export class TransportKit {
  /** `--rate-limit-per-ip`: one budget per client address, every transport together. */
  private readonly addressBudget: RateLimitsByAddress;

  constructor(
    @inject(TOKENS.Hub) readonly hub: Hub,
    @inject(TOKENS.Logger) readonly logger: Logger,
    @inject(TOKENS.Metrics) readonly metrics: Metrics,
    @inject(KIT_TOKENS.Admission) readonly admission: Admission,
    @inject(TOKENS.Config) config: Config,
  ) {
    this.addressBudget = new RateLimitsByAddress(addressRateLimitOf(config));
  }

  /**
   * Takes one message from the budget of the client address `address` (as the socket reports
   * it); false when that address, all its connections and requests together, is over it.
   */
  readonly withinAddressBudget = (address: string | undefined): boolean =>
    this.addressBudget.take(clientKey(address ?? 'unknown'), performance.now());

  /**
   * What every connection of the transport `name` shares. A connection whose socket closes
   * leaves `sweep` and gives its place under the connection limits back.
   */
  connectionSettings(
    name: string,
    config: SharedConfig,
    sweep: ConnectionSweep,
  ): ConnectionSettings {
    return {
      ...deliverySettingsOf(config, this.metrics.forTransport(name)),
      transport: name,
      logger: this.logger,
      rateLimit: rateLimitOf(config),
      withinAddressBudget: this.withinAddressBudget,
      releaseSocket: (socket) => this.admission.releaseSocket(socket),
      closed: (connection: KitConnection) => {
        sweep.delete(connection);
        this.admission.release();
      },
    };
  }

  /**
   * Registers `connection` with the hub in its room and sweeps it; `refuse()` once the hub is
   * closing or when the room refuses it.
   */
  join(
    connection: KitConnection,
    placement: Placement,
    sweep: ConnectionSweep,
    refuse: (why: JoinRefusal) => void,
  ): void {
    // A fault of ours while joining (a refusal that throws) is logged, never left unhandled.
    joinHub(this.hub, connection, placement, sweep, this.logger, refuse).catch((error: unknown) => {
      this.logger.error('joining the hub failed', { error: String(error) });
      connection.destroy();
    });
  }
}
