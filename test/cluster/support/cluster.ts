import type { ExecutionContext } from 'ava';
import { sleep, within } from '../../adapters/support/ws-client.ts';
import {
  answers,
  type Exit,
  type HubbubProcess,
  startHubbub,
} from '../../e2e/support/hubbub-process.ts';
import { type PrivateRedis, startRedis } from '../../support/redis-server.ts';

/**
 * Settings every node of these tests runs with: no per-connection or per-address rate limit
 * (the tests send far faster than a person, all from 127.0.0.1), and a history long enough to
 * hold every message a test sends.
 */
export const CLUSTER_ARGS = [
  '--metrics-port',
  'off',
  '--rate-limit',
  '0',
  '--rate-limit-per-ip',
  '0',
  '--history-size',
  '1000',
] as const;

/** One Hubbub process (`node dist/main.js`) of a cluster, on its own port. */
export type ClusterNode = Readonly<{
  name: string;
  process: HubbubProcess;
  port: number;
  /** ws://127.0.0.1:PORT/ws */
  wsUrl: string;
  /** Kills the process with SIGKILL (no shutdown of any kind) and resolves once it is gone. */
  sigkill: () => Promise<Exit>;
  /** Stops the process as an operator would (SIGTERM) and resolves once it has exited. */
  sigterm: () => Promise<Exit>;
  /** The `/readyz` status (200 ready, 503 not). */
  readiness: () => Promise<number>;
}>;

export type Cluster = Readonly<{ redis: PrivateRedis; nodes: readonly ClusterNode[] }>;

const killed = (process: HubbubProcess): Promise<Exit> => {
  process.kill();
  return process.waitForExit();
};

const stopped = (process: HubbubProcess): Promise<Exit> => {
  if (!process.hasExited) process.child.kill('SIGTERM');
  return process.waitForExit();
};

/** Starts a node on `redis`, killed when the test ends. */
export const startNode = async (
  t: ExecutionContext,
  redis: PrivateRedis,
  name: string,
  args: readonly string[] = [],
): Promise<ClusterNode> => {
  const { hubbub, port } = await startHubbub([...CLUSTER_ARGS, '--redis-url', redis.url, ...args]);
  t.teardown(() => hubbub.kill());
  return {
    name,
    process: hubbub,
    port,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    sigkill: () => killed(hubbub),
    sigterm: () => stopped(hubbub),
    readiness: () => answers(port, '/readyz'),
  };
};

/**
 * A private Redis and `count` nodes sharing it (named a, b, c …), all stopped when the test
 * ends. `args` are added to every node's command line.
 */
export const startCluster = async (
  t: ExecutionContext,
  count: number,
  args: readonly string[] = [],
): Promise<Cluster> => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const names = ['a', 'b', 'c', 'd'].slice(0, count);
  const nodes = await Promise.all(names.map((name) => startNode(t, redis, name, args)));
  return { redis, nodes };
};

/**
 * Calls `check` (each call bounded) until it resolves with a value other than `undefined` or
 * `false`, and resolves with it; rejects after `timeoutMs` naming `what` and the last outcome.
 */
export const pollUntil = async <T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'nothing yet';
  for (;;) {
    try {
      const value = await within(check(), what, 2_000);
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await sleep(50);
  }
};

/** Waits until `/readyz` of `node` answers 200. */
export const waitForReady = (node: ClusterNode): Promise<true> =>
  pollUntil(async () => (await node.readiness()) === 200, `node ${node.name} to be ready`);
