// Start-up cost of each server as users start it (no benchmark preload): the time from spawn
// to the first `GET /healthz` answered 200, and the resident memory right then. Several rounds,
// the servers taking turns, and the median kept: one start on a busy machine says little.
import { get } from 'node:http';
import { performance } from 'node:perf_hooks';
import { rssKb } from './proc-stats.ts';
import type { StartupResult } from './results.ts';
import type { Placement, ServerKind } from './servers.ts';
import { startServer } from './servers.ts';

export const STARTUP = { rounds: 5 } as const;

/** One GET /healthz on a connection of its own: its status, or 0 if it failed. */
const healthz = (port: number): Promise<number> =>
  new Promise((resolve) => {
    const request = get(
      { host: '127.0.0.1', port, path: '/healthz', agent: false, headers: { connection: 'close' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', () => resolve(0));
  });

type Reading = Omit<StartupResult, 'server' | 'command' | 'rounds'>;

const startOnce = async (
  kind: ServerKind,
  placement: Placement,
  commands: Record<ServerKind, string>,
): Promise<Reading> => {
  const server = await startServer(kind, placement, { bare: true });
  commands[kind] = server.command;
  try {
    // The port is known from the ready line; the server may still need a moment to answer.
    for (let tries = 0; (await healthz(server.port)) !== 200; tries++) {
      if (tries === 100) throw new Error(`${kind}: GET /healthz never answered 200`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const firstAnswerMs = performance.now() - server.spawnedAt;
    return { firstAnswerMs, rssKb: rssKb(server.pid) };
  } finally {
    await server.stop();
  }
};

const median = (values: readonly number[]): number =>
  values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Each server started `STARTUP.rounds` times, in turns; the median of each figure. */
export const measureStartup = async (
  placement: Placement,
  progress: (line: string) => void,
): Promise<StartupResult[]> => {
  const readings: Record<ServerKind, Reading[]> = { baseline: [], hubbub: [] };
  const commands: Record<ServerKind, string> = { baseline: '', hubbub: '' };
  for (let round = 1; round <= STARTUP.rounds; round++) {
    for (const kind of ['baseline', 'hubbub'] as const) {
      const reading = await startOnce(kind, placement, commands);
      readings[kind].push(reading);
      progress(
        `start-up ${kind} (round ${round} of ${STARTUP.rounds}): first answer after ${reading.firstAnswerMs.toFixed(0)} ms, RSS ${reading.rssKb} KB then`,
      );
    }
  }
  return (['baseline', 'hubbub'] as const).map((server) => ({
    server,
    command: commands[server],
    rounds: readings[server].length,
    firstAnswerMs: median(readings[server].map((r) => r.firstAnswerMs)),
    rssKb: median(readings[server].map((r) => r.rssKb)),
  }));
};
