// The idle-memory scenario of `npm run bench`: each server measured IDLE_ROUNDS times on fresh
// processes, taking turns, and the median per connection kept (RSS moves from run to run).

import { measureIdle } from './load/idle.ts';
import type { IdleResult } from './results.ts';
import { IDLE } from './scenarios.ts';
import type { ServerKind } from './servers.ts';

const IDLE_ROUNDS = 3;

export type IdleOptions = {
  connections: number;
  withServer: <T>(kind: ServerKind, use: (pid: number, port: number) => Promise<T>) => Promise<T>;
  progress: (line: string) => void;
  /** Where each round's figures and failures are noted for the report. */
  notes: string[];
};

export const runIdleScenario = async (options: IdleOptions): Promise<IdleResult[]> => {
  const { connections: idleConnections, withServer, progress, notes } = options;
  const idle: IdleResult[] = [];
  const rounds: Record<'baseline' | 'hubbub', IdleResult[]> = { baseline: [], hubbub: [] };
  for (let round = 1; round <= IDLE_ROUNDS; round++) {
    for (const server of ['baseline', 'hubbub'] as const) {
      try {
        const measured = await withServer(server, (pid, port) =>
          measureIdle({
            port,
            serverPid: pid,
            connections: idleConnections,
            inFlight: IDLE.inFlight,
          }),
        );
        const row: IdleResult = {
          server,
          connections: idleConnections,
          opened: measured.opened,
          rssBeforeKb: measured.rssBeforeKb,
          rssAfterKb: measured.rssAfterKb,
          kbPerConnection:
            (measured.rssAfterKb - measured.rssBeforeKb) / Math.max(1, measured.opened),
          acceptsPerSecond: measured.acceptsPerSecond,
        };
        rounds[server].push(row);
        progress(
          `idle ${server} (round ${round} of ${IDLE_ROUNDS}): ${row.opened} connections, RSS ${row.rssBeforeKb} -> ${row.rssAfterKb} KB, ${row.kbPerConnection.toFixed(1)} KB each, ${row.acceptsPerSecond.toFixed(0)} accepted/s`,
        );
      } catch (error) {
        notes.push(`Idle scenario for ${server} failed: ${(error as Error).message}`);
        progress(`idle ${server}: failed: ${(error as Error).message}`);
      }
    }
  }
  for (const server of ['baseline', 'hubbub'] as const) {
    const sorted = rounds[server].toSorted((x, y) => x.kbPerConnection - y.kbPerConnection);
    const median = sorted[Math.floor(sorted.length / 2)];
    if (median === undefined) continue;
    idle.push(median);
    notes.push(
      `Idle memory for ${server}: ${sorted.map((row) => row.kbPerConnection.toFixed(1)).join(', ')} KB per connection over ${sorted.length} rounds (each on a fresh server, after a forced GC); the median is reported.`,
    );
  }
  return idle;
};
