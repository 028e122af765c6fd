import {
  type ConnectionId,
  type DepartureReason,
  isEviction,
  type Unregistered,
} from '../domain/index.ts';
import type { Logger } from './ports/logger.port.ts';
import type { Metrics } from './ports/metrics.port.ts';
import type { Peer } from './ports/transport.port.ts';

/** What the journal needs to know of a connection's transport. */
export type JournalPeer = Pick<Peer, 'transport' | 'remote'>;

/**
 * One log line and the counts for each connection's arrival and for its departure, with the
 * reason and how long it stayed; an eviction is a departure logged as a warning.
 */
export class ConnectionJournal {
  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  opened(connection: ConnectionId, peer: JournalPeer): void {
    this.metrics.connectionOpened(peer.transport);
    this.logger.info('connection opened', {
      connection,
      transport: peer.transport,
      remote: peer.remote,
    });
  }

  closed(peer: JournalPeer, event: Unregistered, registeredAt: number): void {
    const { transport } = peer;
    const durationMs = Math.max(0, event.at - registeredAt);
    const evicted = isEviction(event.reason) ? event.reason : undefined;
    const reason = closedReason(event.reason);
    this.metrics.connectionClosed(transport, reason, durationMs / 1000);
    const fields = {
      connection: event.connectionId,
      transport,
      remote: peer.remote,
      reason,
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

/**
 * The `reason` of the closing log line and of `hubbub_connections_closed_total`: how the
 * connection ended (`left`, `overflowed`, `dropped`, `shutdown`); an eviction's own reason is
 * its `eviction` field.
 */
export const closedReason = (
  reason: DepartureReason,
): 'left' | 'overflowed' | 'dropped' | 'shutdown' => {
  switch (reason) {
    case 'left':
    case 'dropped':
    case 'shutdown':
      return reason;
    case 'send_buffer_full':
      return 'overflowed';
    case 'pong_timeout':
    case 'write_timeout':
    case 'rate_limited':
    case 'message_too_large':
    case 'invalid_message':
    case 'protocol_error':
      return 'dropped';
    default: {
      const unknown: never = reason;
      return unknown;
    }
  }
};
