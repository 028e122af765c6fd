// Opens many generator connections with a bounded number of handshakes in flight.
import { performance } from 'node:perf_hooks';
import { BenchClient } from './client.ts';
import type { Protocol } from './protocols.ts';
import type { Recorder } from './recorder.ts';

export const nowUs = (): number => performance.now() * 1000;

export type Opened = { clients: BenchClient[]; failed: number; ms: number };

export const openClients = async (options: {
  port: number;
  /** The port connection `index` opens to, when they are spread over servers (else `port`). */
  portOf?: (index: number) => number;
  count: number;
  protocol: Protocol;
  inFlight: number;
  recorder?: Recorder;
  timeoutMs: number;
}): Promise<Opened> => {
  const clients: BenchClient[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const worker = async (): Promise<void> => {
    while (next < options.count && performance.now() < deadline) {
      const index = next++;
      const client = new BenchClient({
        port: options.portOf?.(index) ?? options.port,
        index,
        protocol: options.protocol,
        recorder: options.recorder,
        now: nowUs,
      });
      clients.push(client);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('handshake timed out')), 5_000);
      });
      try {
        await Promise.race([client.opened, timeout]);
      } catch {
        failed++;
        client.close();
      } finally {
        clearTimeout(timer);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.inFlight, options.count) }, worker));
  clients.sort((a, b) => a.index - b.index);
  return {
    clients,
    failed: failed + (options.count - clients.length),
    ms: performance.now() - started,
  };
};

export const closeClients = async (clients: readonly BenchClient[]): Promise<void> => {
  for (const client of clients) client.close();
  await new Promise((resolve) => setTimeout(resolve, 50));
};
