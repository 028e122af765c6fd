export type LivenessTiming = Readonly<{
  pingIntervalMs: number;
  pongTimeoutMs: number;
  writeTimeoutMs: number;
}>;

/** What a connection's periodic check calls for. */
export type LivenessVerdict = 'alive' | 'ping' | 'pong_timeout' | 'write_timeout';

/**
 * Whether a WebSocket peer is still there: heard from (any byte read, a pong included) within
 * the pong timeout, its writes completing within the write timeout; and when to ping it next.
 */
export class PeerLiveness {
  private lastHeardAt: number;
  private bytesReadSeen = 0;
  private nextPingAt: number;
  /** Frames handed to the socket whose write has not completed, and when the oldest was. */
  private writing = 0;
  private writingSince = 0;

  constructor(
    private readonly timing: LivenessTiming,
    now: number,
  ) {
    this.lastHeardAt = now;
    this.nextPingAt = now + timing.pingIntervalMs;
  }

  writeStarted(now: number): void {
    if (this.writing === 0) this.writingSince = now;
    this.writing += 1;
  }

  writeEnded(now: number): void {
    this.writing -= 1;
    this.writingSince = now;
  }

  /** `bytesRead`: the socket's count so far; any change since the last check is news from the peer. */
  check(now: number, bytesRead: number): LivenessVerdict {
    if (bytesRead !== this.bytesReadSeen) {
      this.bytesReadSeen = bytesRead;
      this.lastHeardAt = now;
    }
    if (now - this.lastHeardAt >= this.timing.pongTimeoutMs) return 'pong_timeout';
    if (this.writing > 0 && now - this.writingSince >= this.timing.writeTimeoutMs)
      return 'write_timeout';
    if (now < this.nextPingAt) return 'alive';
    this.nextPingAt = now + this.timing.pingIntervalMs;
    return 'ping';
  }
}
