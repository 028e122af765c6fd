// The Redis of the cluster scenario: a private redis-server on a free port of 127.0.0.1 that
// keeps nothing on disk, pinned with the servers, and its CPU time as it reports it (INFO cpu).
// Mirrors test/support/redis-server.ts, which tests use (it needs ava; this runs without).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createClient } from 'redis';
import { freePort } from './free-port.ts';
import { type Placement, pinnedTo, stopChild } from './servers.ts';

export const REDIS_SERVER_PATH = process.env.BENCH_REDIS_SERVER || '/usr/bin/redis-server';
const READY_LINE = /Ready to accept connections/;
const READY_MS = 10_000;

export type BenchRedis = Readonly<{
  pid: number;
  url: string;
  command: string;
  /** used_cpu_user + used_cpu_sys from INFO cpu (every thread of the server), in µs. */
  cpuUs: () => Promise<number>;
  stop: () => Promise<void>;
}>;

/** Why the scenario cannot start a Redis here, or undefined when it can. */
export const redisMissing = (): string | undefined =>
  existsSync(REDIS_SERVER_PATH)
    ? undefined
    : `redis-server not found at ${REDIS_SERVER_PATH} (apt-get install redis-server, or set BENCH_REDIS_SERVER)`;

/** The CPU seconds INFO cpu reports, as µs. */
export const infoCpuUs = (info: string): number => {
  const seconds = (field: string): number => {
    const match = new RegExp(`^${field}:([\\d.]+)`, 'm').exec(info);
    if (match === null) throw new Error(`INFO cpu has no ${field}`);
    return Number(match[1]);
  };
  return Math.round((seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6);
};

export const startBenchRedis = async (placement: Placement): Promise<BenchRedis> => {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const command = [...pinnedTo(placement), REDIS_SERVER_PATH, ...args];
  const child = spawn(command[0] as string, command.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server not ready in ${READY_MS} ms`)),
        READY_MS,
      );
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        output = (output + chunk).slice(-4_096);
        if (READY_LINE.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4_096);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code} before it was ready: ${output.trim()}`));
      });
    });
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  const url = `redis://127.0.0.1:${port}`;
  // One connection of the generator's own, for INFO only (a few commands per run).
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on('error', () => {}); // a failed INFO rejects where it was asked
  await client.connect();
  return {
    pid: child.pid as number,
    url,
    command: args.reduce((line, arg) => `${line} ${arg === '' ? "''" : arg}`, REDIS_SERVER_PATH),
    cpuUs: async () => infoCpuUs(await client.info('cpu')),
    stop: async () => {
      await client.close().catch(() => {});
      await stopChild(child);
    },
  };
};
