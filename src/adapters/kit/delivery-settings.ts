import type { Config } from '../../app/config.ts';
import type { TransportMetrics } from '../../app/ports/metrics.port.ts';
import { BatchWindow } from './batch-window.ts';
import { OutboundCache } from './outbound-cache.ts';

/** Bytes a connection may hold in user space before it waits for its writes to complete. */
const HIGH_WATER_BYTES = 64 * 1024;

/** What every connection of one transport shares for delivery. */
export type DeliverySettings = Readonly<{
  sendBuffer: number;
  writeTimeoutMs: number;
  highWaterBytes: number;
  /**
   * Take at once when this far behind (a quarter of the send buffer), so a burst in one turn
   * never looks like a stall; a connection that keeps up also acknowledges every this many
   * broadcasts, not every time: the hub then sees it at most half its buffer behind, never
   * full. One that stops taking acknowledges exactly, so its eviction comes at the true count.
   */
  takeEagerlyAfter: number;
  cache: OutboundCache;
  batch: BatchWindow;
  metrics: TransportMetrics;
}>;

export const deliverySettingsOf = (
  config: Pick<Config, 'sendBuffer' | 'writeTimeoutMs' | 'batchWindowMs'>,
  metrics: TransportMetrics,
): DeliverySettings => ({
  sendBuffer: config.sendBuffer,
  writeTimeoutMs: config.writeTimeoutMs,
  highWaterBytes: HIGH_WATER_BYTES,
  takeEagerlyAfter: Math.max(1, Math.floor(config.sendBuffer / 4)),
  cache: new OutboundCache(),
  batch: new BatchWindow(config.batchWindowMs),
  metrics,
});
