import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { ended, freePort, launchRedis } from './redis-server.ts';

/** Debian's redis-tools, which redis-server depends on. */
export const REDIS_CLI_PATH = '/usr/bin/redis-cli';

const run = promisify(execFile);

const MASTERS = 3;
/** How long a node may be silent before the others hold it failed (Redis's default is 15 s). */
const NODE_TIMEOUT_MS = 2_000;
const CLI_TIMEOUT_MS = 30_000;
/** CLUSTER INFO is asked at most this many times, this far apart, for the nodes to agree. */
const POLLS = 200;
const POLL_MS = 100;

export type PrivateCluster = Readonly<{
  /** The nodes' client ports, each node a master of a third of the slots. */
  ports: readonly number[];
  /** redis://127.0.0.1:PORT of the first node: the seed a client is given. */
  url: string;
  /** The port of the master that serves `key`'s slot. */
  masterOf(key: string): Promise<number>;
  /** SIGKILLs the node on `port` (its data is gone: it keeps none on disk). */
  kill(port: number): Promise<void>;
  /** Starts the node on `port` again, empty but with its place in the cluster; resolves once every node says the cluster is ok. */
  restart(port: number): Promise<void>;
  /** Stops every node and removes their files. */
  stop(): Promise<void>;
}>;

const cli = async (port: number, ...args: string[]): Promise<string> => {
  const where = ['-h', '127.0.0.1', '-p', String(port)];
  return (await run(REDIS_CLI_PATH, [...where, ...args], { timeout: CLI_TIMEOUT_MS })).stdout;
};

const clusterInfo = (port: number): Promise<string> =>
  cli(port, 'CLUSTER', 'INFO').catch((error: unknown) => String(error));

/** Resolves once every node's CLUSTER INFO says `cluster_state:ok`, knowing every node. */
const agreed = async (ports: readonly number[]): Promise<void> => {
  let infos: string[] = [];
  for (let poll = 0; poll < POLLS; poll++) {
    infos = await Promise.all(ports.map(clusterInfo));
    const ok = (info: string) =>
      info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${ports.length}`);
    if (infos.every(ok)) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`the cluster did not agree in ${POLLS} polls: ${infos.join('\n---\n')}`);
};

/**
 * Starts a private Redis Cluster of three masters (no replicas) on free ports, with Debian's
 * `redis-server` and `redis-cli --cluster create`; nothing is kept on disk but each node's
 * cluster config, in a temporary directory that `stop` removes.
 */
export const startRedisCluster = async (): Promise<PrivateCluster> => {
  const dir = await mkdtemp(join(tmpdir(), 'hubbub-redis-cluster-'));
  const nodes = new Map<number, { bus: number; child: ChildProcess }>();
  const launch = async (port: number, bus: number) => {
    const child = await launchRedis(port, [
      ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
      ...['--cluster-port', String(bus), '--cluster-node-timeout', String(NODE_TIMEOUT_MS)],
      ...['--dir', dir],
    ]);
    nodes.set(port, { bus, child });
  };
  const stop = async () => {
    await Promise.all([...nodes.values()].map(({ child }) => ended(child, 'SIGTERM')));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < MASTERS; i++) await launch(await freePort(), await freePort());
    const ports = [...nodes.keys()];
    await cli(
      ports[0] ?? 0,
      ...['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`)],
      ...['--cluster-replicas', '0', '--cluster-yes'],
    );
    await agreed(ports);
    const url = `redis://127.0.0.1:${ports[0]}`;
    return {
      ports,
      url,
      masterOf: (key) => masterOf(ports, key),
      kill: async (port) => {
        const node = nodes.get(port);
        if (node !== undefined) await ended(node.child, 'SIGKILL');
      },
      restart: async (port) => {
        const node = nodes.get(port);
        if (node === undefined) throw new Error(`no node of this cluster on ${port}`);
        await ended(node.child, 'SIGKILL');
        await launch(port, node.bus);
        await agreed(ports);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};

/** Asks a live node which master serves `key`'s slot. */
const masterOf = async (ports: readonly number[], key: string): Promise<number> => {
  for (const port of ports) {
    const client = createClient({
      url: `redis://127.0.0.1:${port}`,
      socket: { reconnectStrategy: false },
    }).on('error', () => {});
    try {
      await client.connect();
      const slot = await client.clusterKeySlot(key);
      const range = (await client.clusterSlots()).find((r) => r.from <= slot && slot <= r.to);
      if (range !== undefined) return range.master.port;
    } catch {
      // That node is down: ask the next.
    } finally {
      client.destroy();
    }
  }
  throw new Error(`no node of ports ${ports.join(', ')} knows who serves ${key}`);
};
