import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { freePort } from './free-port.ts';
import { ended, launchRedis } from './redis-server.ts';

/** Debian's redis-tools, which redis-server depends on. */
export const REDIS_CLI_PATH = '/usr/bin/redis-cli';

const run = promisify(execFile);

const MASTERS = 3;
/** How long a node may be silent before the others hold it failed (Redis's default is 15 s). */
const NODE_TIMEOUT_MS = 2_000;
const CLI_TIMEOUT_MS = 30_000;
/** The nodes are asked at most this many times, this far apart, whether they agree. */
const POLLS = 200;
const POLL_MS = 100;

export type PrivateCluster = Readonly<{
  /** Every node's client port, as created (masters and replicas). */
  ports: readonly number[];
  /** redis://127.0.0.1:PORT of the first node: the seed a client is given. */
  url: string;
  /** The ports of the masters serving the slots now, in the order of their slots. */
  masters(): Promise<number[]>;
  /** The port of the master that serves `key`'s slot now. */
  masterOf(key: string): Promise<number>;
  /** SIGKILLs the node on `port` (its data is gone: it keeps none on disk). */
  kill(port: number): Promise<void>;
  /** Starts the node on `port` again, empty but with its place in the cluster; resolves once the cluster settled. */
  restart(port: number): Promise<void>;
  /** Resolves once every live node says the cluster is ok and live masters serve every slot (after a failover, say). */
  settled(): Promise<void>;
  /** Stops every node and removes their files. */
  stop(): Promise<void>;
}>;

/** How many replicas each of the three masters has (none unless asked). */
export type ClusterShape = Readonly<{ replicasPerMaster?: number }>;

type SlotRange = Readonly<{ from: number; to: number; master: number }>;

const cli = async (port: number, ...args: string[]): Promise<string> => {
  const where = ['-h', '127.0.0.1', '-p', String(port)];
  return (await run(REDIS_CLI_PATH, [...where, ...args], { timeout: CLI_TIMEOUT_MS })).stdout;
};

const nodeClient = (port: number) =>
  createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });

/** What the first node of `ports` that answers says: `ask(client)`. */
export const askAnyNode = async <T>(
  ports: Iterable<number>,
  ask: (client: ReturnType<typeof nodeClient>) => Promise<T>,
): Promise<T> => {
  for (const port of ports) {
    const client = nodeClient(port).on('error', () => {});
    try {
      await client.connect();
      return await ask(client);
    } catch {
      // That node is down: ask the next.
    } finally {
      client.destroy();
    }
  }
  throw new Error(`no node of ports ${[...ports].join(', ')} answered`);
};

const slotRanges = (ports: Iterable<number>): Promise<SlotRange[]> =>
  askAnyNode(ports, async (client) =>
    (await client.clusterSlots()).map(({ from, to, master }) => ({
      from,
      to,
      master: master.port,
    })),
  );

/** Asks `check` until it finds nothing wrong (it answers what is wrong, or undefined). */
const until = async (check: () => Promise<string | undefined>): Promise<void> => {
  let wrong: string | undefined;
  for (let poll = 0; poll < POLLS; poll++) {
    wrong = await check();
    if (wrong === undefined) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`the cluster did not settle in ${POLLS} polls: ${wrong}`);
};

/**
 * Every node of `live` says `cluster_state:ok`, knowing all `known` nodes, and every slot is
 * served by a node of `live`.
 */
const agreed = async (live: ReadonlySet<number>, known: number) => {
  const infos = await Promise.all(
    [...live].map((port) => cli(port, 'CLUSTER', 'INFO').catch(String)),
  );
  const ok = (info: string) =>
    info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${known}`);
  const ranges = infos.every(ok) ? await slotRanges(live).catch(() => []) : [];
  const covered = ranges.reduce((slots, range) => slots + range.to - range.from + 1, 0);
  if (covered === 16_384 && ranges.every((range) => live.has(range.master))) return undefined;
  return `${infos.join('\n---\n')}\n${JSON.stringify(ranges)}`;
};

/**
 * Every master has its `replicas`, each online. Until then a replica may still move to another
 * master (replica migration), keeping what it had of the first.
 */
const replicated = async (ports: readonly number[], replicas: number) => {
  const infos = await Promise.all(ports.map((port) => cli(port, 'INFO', 'replication')));
  const masters = infos.filter((info) => info.includes('role:master'));
  const online = (info: string) => info.match(/state=online/g)?.length ?? 0;
  const settled = masters.length === MASTERS && masters.every((info) => online(info) === replicas);
  return settled ? undefined : infos.join('\n---\n');
};

/**
 * Starts a private Redis Cluster of three masters (with `replicasPerMaster` replicas each) on
 * free ports, with Debian's `redis-server` and `redis-cli --cluster create`; nothing is kept on
 * disk but each node's cluster config, in a temporary directory that `stop` removes.
 */
export const startRedisCluster = async (shape: ClusterShape = {}): Promise<PrivateCluster> => {
  const replicas = shape.replicasPerMaster ?? 0;
  const dir = await mkdtemp(join(tmpdir(), 'hubbub-redis-cluster-'));
  const nodes = new Map<number, { bus: number; child: ChildProcess }>();
  const live = new Set<number>();
  const launch = async (port: number, bus: number) => {
    const child = await launchRedis(port, [
      ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
      ...['--cluster-port', String(bus), '--cluster-node-timeout', String(NODE_TIMEOUT_MS)],
      ...['--dir', dir],
    ]);
    nodes.set(port, { bus, child });
    live.add(port);
  };
  const kill = async (port: number) => {
    live.delete(port);
    const node = nodes.get(port);
    if (node !== undefined) await ended(node.child, 'SIGKILL');
  };
  const stop = async () => {
    await Promise.all([...nodes.values()].map(({ child }) => ended(child, 'SIGTERM')));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const count = MASTERS * (1 + replicas);
    for (let i = 0; i < count; i++) await launch(await freePort(), await freePort());
    const ports = [...nodes.keys()];
    await cli(
      ports[0] ?? 0,
      ...['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`)],
      ...['--cluster-replicas', String(replicas), '--cluster-yes'],
    );
    const settled = () => until(() => agreed(live, count));
    await settled();
    await until(() => replicated(ports, replicas));
    return {
      ports,
      url: `redis://127.0.0.1:${ports[0]}`,
      masters: async () => {
        const ranges = (await slotRanges(live)).sort((x, y) => x.from - y.from);
        return [...new Set(ranges.map((range) => range.master))];
      },
      masterOf: async (key) => {
        const slot = await askAnyNode(live, (client) => client.clusterKeySlot(key));
        const range = (await slotRanges(live)).find((r) => r.from <= slot && slot <= r.to);
        if (range === undefined) throw new Error(`no master serves slot ${slot}`);
        return range.master;
      },
      kill,
      restart: async (port) => {
        const node = nodes.get(port);
        if (node === undefined) throw new Error(`no node of this cluster on ${port}`);
        await kill(port);
        await launch(port, node.bus);
        await settled();
      },
      settled,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
