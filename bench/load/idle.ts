// Idle cost: what each further silent connection adds to the server's RSS, and how many
// handshakes per second the server completed while they were opened.
//
// The cost is marginal: a first batch of connections is opened and held, RSS is read, a second
// batch of the same size is opened, and RSS is read again. The first batch brings the server to
// its working shape (code compiled, V8's young generation grown to what the load asks for, socket
// slabs allocated), which a fresh process reaches at its own pace; the second batch then costs
// only what a connection costs.
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
}): Promise<IdleMeasurement> => {
  const open = () =>
    openClients({
      port: options.port,
      count: options.connections,
      protocol: 'plain',
      inFlight: options.inFlight,
      timeoutMs: 30_000,
    });
  const first = await open();
  try {
    if (first.failed > 0) throw new Error(`${first.failed} of the first batch did not open`);
    const rssBeforeKb = await settledRssKb(options.serverPid);
    const { clients, failed, ms } = await open();
    try {
      const opened = clients.filter((client) => client.isOpen).length;
      const rssAfterKb = await settledRssKb(options.serverPid);
      return { opened, failed, rssBeforeKb, rssAfterKb, acceptsPerSecond: (opened / ms) * 1000 };
    } finally {
      await closeClients(clients);
    }
  } finally {
    await closeClients(first.clients);
  }
};
