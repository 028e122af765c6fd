/** Identifies one connection for as long as it is registered; assigned outside the core. */
export type ConnectionId = string;

/** Position of a broadcast in the hub's log: 1 for the first broadcast, 0 before any. */
export type Seq = number;

/**
 * Why a connection stopped being registered.
 * - `left`: the client went away or closed normally.
 * - `overflowed`: a broadcast found its send buffer full (slow consumer).
 * - `dropped`: the transport gave up on it (protocol error, timeout, socket error).
 * - `shutdown`: the server is stopping.
 */
export type DepartureReason = 'left' | 'overflowed' | 'dropped' | 'shutdown';
