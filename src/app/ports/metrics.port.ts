import type { EvictionReason } from '../../domain/index.ts';

export type { EvictionReason } from '../../domain/index.ts';

/** Why a client was turned away before it became a connection, or a request was refused. */
export type RejectionReason =
  | 'max_connections'
  | 'max_connections_per_ip'
  | 'shutting_down'
  | 'handshake_timeout'
  | 'bad_request'
  | 'origin_not_allowed'
  | 'message_too_large'
  | 'rate_limited'
  | 'pipelining_limit';

/**
 * What one transport counts on its hot path. Implementations keep plain numbers and publish
 * them when scraped: these calls must cost next to nothing.
 */
export interface TransportMetrics {
  /** One chat message of `bytes` bytes arrived from a client. */
  received(bytes: number): void;
  /** `messages` broadcasts, `bytes` bytes on the wire, were handed to one client's socket. */
  delivered(messages: number, bytes: number): void;
}

/** The service's counters, gauges and histograms (Prometheus in the default composition). */
export interface Metrics {
  forTransport(transport: string): TransportMetrics;
  connectionOpened(transport: string): void;
  connectionClosed(transport: string, reason: string, seconds: number): void;
  evicted(transport: string, reason: EvictionReason): void;
  rejected(transport: string, reason: RejectionReason): void;
  /** How long handing one broadcast to every connection took. */
  fanOut(seconds: number): void;
}
