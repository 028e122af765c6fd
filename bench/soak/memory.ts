// Readings of the server: RSS after a forced GC (bench/load/idle.ts), open descriptors, the
// client connections it holds (/proc), and /metrics when it has them.
import { settledRssKb } from '../load/idle.ts';
import { fetchMetrics, type Metrics } from './metrics.ts';
import type { SoakServer } from './server.ts';
import { fdCount, heldSockets } from './server-sockets.ts';
import { sleep } from './timing.ts';

export type Reading = {
  label: string;
  /** Seconds since the soak started. */
  atS: number;
  rssKb: number;
  fds: number;
  /** Client connections the server holds (its sockets on its ports, listeners aside). */
  held: number;
  heapUsedBytes: number | undefined;
  /** `hubbub_connections`, every transport together. */
  connections: number | undefined;
};

/** Margin of RSS at the end over RSS after warm-up: 10% or 8 MiB, the larger. */
export const rssMarginKb = (afterWarmUpKb: number): number =>
  Math.max(afterWarmUpKb * 0.1, 8 * 1024);
/** The same for the V8 heap in use (/metrics), which a forced GC leaves far steadier. */
export const heapMarginBytes = (afterWarmUpBytes: number): number =>
  Math.max(afterWarmUpBytes * 0.1, 2 * 1_048_576);

export const takeReading = async (
  label: string,
  server: SoakServer,
  startedAt: number,
): Promise<Reading> => {
  const rssKb = await settledRssKb(server.pid);
  const held = heldSockets(server.pid, [server.port, server.tcpPort]).byRemotePort.size;
  const fds = fdCount(server.pid);
  const metrics = await fetchMetrics(server.metricsPort);
  return {
    label,
    atS: (performance.now() - startedAt) / 1000,
    rssKb,
    fds,
    held,
    heapUsedBytes: metrics?.sum('nodejs_heap_size_used_bytes'),
    connections: metrics?.sum('hubbub_connections'),
  };
};

export type Rest = { held: Map<number, string>; metrics: Metrics | undefined; reached: boolean };

/**
 * Waits until the server holds exactly `expected` client connections, by /proc and, when it
 * has /metrics, by `hubbub_connections` too; at most `limitMs`.
 */
export const waitForRest = async (
  server: SoakServer,
  expected: number,
  limitMs: number,
): Promise<Rest> => {
  const until = performance.now() + limitMs;
  for (;;) {
    const held = heldSockets(server.pid, [server.port, server.tcpPort]).byRemotePort;
    const metrics = await fetchMetrics(server.metricsPort);
    const counted = metrics?.sum('hubbub_connections');
    const reached = held.size === expected && (counted === undefined || counted === expected);
    if (reached || performance.now() >= until || server.crashed() !== undefined) {
      return { held, metrics, reached };
    }
    await sleep(250);
  }
};
