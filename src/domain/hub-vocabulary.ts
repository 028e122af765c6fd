/** Identifies one connection for as long as it is registered; assigned outside the core. */
export type ConnectionId = string;

/** Position of a broadcast in the hub's log: 1 for the first broadcast, 0 before any. */
export type Seq = number;

/**
 * Why the server threw a client out (the client did not choose to leave).
 * - `send_buffer_full`: a broadcast found its send buffer full (the original's slow client).
 * - `pong_timeout`: it sent nothing, not even a pong, for the pong timeout.
 * - `write_timeout`: a write to it made no progress for the write timeout.
 * - `rate_limited`: it sent faster than the rate limit.
 * - `message_too_large`: it sent a message over the size limit.
 * - `invalid_message`: it sent something that is not a chat message (binary, bad UTF-8, bad JSON).
 * - `protocol_error`: it broke its transport's protocol.
 */
export const EVICTION_REASONS = [
  'send_buffer_full',
  'pong_timeout',
  'write_timeout',
  'rate_limited',
  'message_too_large',
  'invalid_message',
  'protocol_error',
] as const;

export type EvictionReason = (typeof EVICTION_REASONS)[number];

/**
 * Why a connection stopped being registered: an eviction, or
 * - `left`: the client went away or closed normally;
 * - `dropped`: the connection failed (a socket error, an abnormal close, a fault of ours);
 * - `shutdown`: the server is stopping.
 */
export type DepartureReason = 'left' | 'dropped' | 'shutdown' | EvictionReason;

const EVICTIONS: ReadonlySet<DepartureReason> = new Set(EVICTION_REASONS);

export const isEviction = (reason: DepartureReason): reason is EvictionReason =>
  EVICTIONS.has(reason);
