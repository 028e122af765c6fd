import type { ConnectionId, Unregistered } from '../domain/index.ts';
import type { Logger } from './ports/logger.port.ts';
import type { EvictionReason, Metrics } from './ports/metrics.port.ts';
import type { Peer } from './ports/transport.port.ts';

/**
 * One log line and the counts for each connection's arrival and for its departure, with the
 * reason and how long it stayed; an eviction is a departure logged as a warning.
 */
export class ConnectionJournal {
  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  opened(connection: ConnectionId, peer: Peer): void {
    this.metrics.connectionOpened(peer.transport);
    this.logger.info('connection opened', {
      connection,
      transport: peer.transport,
      remote: peer.remote,
    });
  }

  closed(
    peer: Peer,
    event: Unregistered,
    registeredAt: number,
    eviction: EvictionReason | undefined,
  ): void {
    const { transport } = peer;
    const durationMs = Math.max(0, event.at - registeredAt);
    const evicted = event.reason === 'overflowed' ? 'send_buffer_full' : eviction;
    this.metrics.connectionClosed(transport, event.reason, durationMs / 1000);
    const fields = {
      connection: event.connectionId,
      transport,
      remote: peer.remote,
      reason: event.reason,
      ...(evicted === undefined ? {} : { eviction: evicted }),
      ...(event.detail === undefined ? {} : { detail: event.detail }),
      durationMs,
    };
    if (evicted === undefined) {
      this.logger.info('connection closed', fields);
      return;
    }
    this.metrics.evicted(transport, evicted);
    this.logger.warn('connection evicted', fields);
  }
}
