// Which client connections the server process still holds, from /proc/PID/net/tcp: a row whose
// local port is one of the server's, with a socket inode (a row without one is an orphan the
// kernel finishes on its own, after the process let go of it). Independent of /metrics, so a
// connection the server forgot to count is still seen.
import { readdirSync, readFileSync } from 'node:fs';

const STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
};

export type HeldSockets = {
  /** Remote port of each client connection the server holds, with its TCP state. */
  byRemotePort: Map<number, string>;
  /** Rows on the server's ports without an owner (closed by the server, finishing in the kernel). */
  orphans: number;
};

export const heldSockets = (pid: number, ports: readonly number[]): HeldSockets => {
  const byRemotePort = new Map<number, string>();
  let orphans = 0;
  const rows = readFileSync(`/proc/${pid}/net/tcp`, 'latin1').split('\n').slice(1);
  for (const row of rows) {
    const fields = row.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const localPort = Number.parseInt((fields[1] ?? '').split(':')[1] ?? '', 16);
    if (!ports.includes(localPort)) continue;
    const state = STATES[fields[3] ?? ''] ?? (fields[3] as string);
    if (state === 'LISTEN') continue;
    if (fields[9] === '0') {
      orphans++;
      continue;
    }
    const remotePort = Number.parseInt((fields[2] ?? '').split(':')[1] ?? '', 16);
    byRemotePort.set(remotePort, state);
  }
  return { byRemotePort, orphans };
};

/** Open file descriptors of a process. */
export const fdCount = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

/** One reading shared by everyone who asks within `maxAgeMs`, so many waiters cost one read. */
export class SocketWatch {
  #last: { at: number; held: HeldSockets } | undefined;

  constructor(
    private readonly pid: number,
    private readonly ports: readonly number[],
    private readonly maxAgeMs = 200,
  ) {}

  read(): HeldSockets {
    const now = performance.now();
    if (this.#last === undefined || now - this.#last.at > this.maxAgeMs) {
      this.#last = { at: now, held: heldSockets(this.pid, this.ports) };
    }
    return this.#last.held;
  }

  /** Whether the server holds the connection from this client port (a fresh reading). */
  holds(clientPort: number): boolean {
    return this.read().byRemotePort.has(clientPort);
  }
}
