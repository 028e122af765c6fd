// Idle cost: server RSS before and after opening many connections that then stay silent, and
// how many handshakes per second the server completed while they were opened.
import { rssKb } from '../proc-stats.ts';
import { closeClients, openClients } from './open.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks the server to collect its garbage (SIGUSR2, see bench/gc-on-signal.mjs), then waits until
 * RSS stops moving (three readings within 0.5%), at least 1 s and at most 5 s.
 */
export const settledRssKb = async (pid: number): Promise<number> => {
  process.kill(pid, 'SIGUSR2');
  await sleep(1_000);
  let readings = [rssKb(pid)];
  for (let i = 0; i < 20; i++) {
    await sleep(200);
    readings = [...readings.slice(-2), rssKb(pid)];
    const low = Math.min(...readings);
    if (readings.length === 3 && Math.max(...readings) - low <= low * 0.005) break;
  }
  return readings.at(-1) as number;
};

export type IdleMeasurement = {
  opened: number;
  failed: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  acceptsPerSecond: number;
};

export const measureIdle = async (options: {
  port: number;
  serverPid: number;
  connections: number;
  inFlight: number;
  warmupConnections: number;
}): Promise<IdleMeasurement> => {
  // A first round loads and compiles the connection path, so it is not counted as memory per
  // connection; its connections are closed again before the "before" reading.
  const warm = await openClients({
    port: options.port,
    count: options.warmupConnections,
    protocol: 'plain',
    inFlight: options.inFlight,
    timeoutMs: 10_000,
  });
  await closeClients(warm.clients);
  const rssBeforeKb = await settledRssKb(options.serverPid);
  const { clients, failed, ms } = await openClients({
    port: options.port,
    count: options.connections,
    protocol: 'plain',
    inFlight: options.inFlight,
    timeoutMs: 30_000,
  });
  try {
    const opened = clients.filter((client) => client.isOpen).length;
    const rssAfterKb = await settledRssKb(options.serverPid);
    return { opened, failed, rssBeforeKb, rssAfterKb, acceptsPerSecond: (opened / ms) * 1000 };
  } finally {
    await closeClients(clients);
  }
};
