// The cluster scenario of `npm run bench` (issue 13): the rooms scenario's load on two Hubbub
// nodes sharing a private Redis, the members of every room split between them, against the same
// load on one node with the memory engine (the baseline: what Hubbub runs by default) and on one
// node with Redis (what Redis itself costs). Nodes and Redis share the servers' core and the
// generator keeps its own; every run starts fresh processes, the setups taking turns.
import { loadavg } from 'node:os';
import { type RoomsMeasurement, runRoomsStep } from './load/rooms-step.ts';
import { waitUntilQuiet } from './proc-stats.ts';
import { quieterOf } from './quieter.ts';
import { type BenchRedis, redisMissing, startBenchRedis } from './redis-server.ts';
import type { ClusterResult } from './results.ts';
import { everyMemberServed, membersCell } from './rooms-report.ts';
import {
  CLUSTER,
  CLUSTER_SETUPS,
  type ClusterSetup,
  ROOMS,
  roomsServerFlags,
  roomsShapes,
} from './scenarios.ts';
import { type Placement, type RunningServer, startServer } from './servers.ts';
import { roomsLine } from './step-line.ts';

export type ClusterOptions = {
  placement: Placement;
  progress: (line: string) => void;
  /** Takes one of the run's repeats for a noisy measurement; false when none is left. */
  takeRepeat: () => boolean;
  scale: number;
};

type Cluster = Readonly<{ nodes: readonly RunningServer[]; redis: BenchRedis | undefined }>;

/** Starts a setup's Redis and nodes, hands them to `use` once they are quiet, stops them all. */
const withCluster = async <T>(
  setup: ClusterSetup,
  placement: Placement,
  flags: readonly string[],
  use: (cluster: Cluster) => Promise<T>,
): Promise<T> => {
  const redis = setup.redis ? await startBenchRedis(placement) : undefined;
  const nodes: RunningServer[] = [];
  try {
    const engine = redis === undefined ? [] : ['--redis-url', redis.url];
    for (let node = 0; node < setup.nodes; node++) {
      nodes.push(await startServer('hubbub', placement, { flags: [...flags, ...engine] }));
    }
    for (const node of nodes) await waitUntilQuiet(node.pid, 5_000);
    return await use({ nodes, redis });
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await redis?.stop();
  }
};

const redisLine = (measured: RoomsMeasurement): string =>
  measured.storeCpu === undefined
    ? ''
    : `; Redis ${(measured.storeCpu.us / Math.max(1, measured.published)).toFixed(1)} µs/message (${measured.storeCpu.percent.toFixed(0)}% CPU)`;

export const runClusterScenario = async (options: ClusterOptions): Promise<ClusterResult> => {
  const { placement, progress } = options;
  const shape = roomsShapes(options.scale).wide;
  const flags = roomsServerFlags(shape);
  const result: ClusterResult = {
    scale: options.scale,
    shape,
    runs: [],
    failures: [],
    loadBefore: loadavg(),
    commands: {},
  };
  const missing = redisMissing();
  if (missing !== undefined) {
    result.failures.push(missing);
    progress(`cluster: not run: ${missing}`);
    return result;
  }
  for (let round = 1; round <= CLUSTER.rounds; round++) {
    for (const setup of CLUSTER_SETUPS) {
      const label = `cluster, ${setup.label}, round ${round} of ${CLUSTER.rounds}`;
      const measure = (): Promise<RoomsMeasurement> =>
        withCluster(setup, placement, flags, ({ nodes, redis }) => {
          if (redis !== undefined) {
            result.commands = { node: nodes[0]?.command, redis: redis.command };
          }
          progress(
            `${label}: node PIDs ${nodes.map((node) => node.pid).join(', ')}${redis === undefined ? '' : `, Redis PID ${redis.pid}`}`,
          );
          return runRoomsStep({
            ports: nodes.map((node) => node.port),
            serverPids: nodes.map((node) => node.pid),
            ...(redis === undefined ? {} : { store: { pid: redis.pid, cpuUs: redis.cpuUs } }),
            shape,
            messagesPerSender: ROOMS.messagesPerSender,
            joinBatch: ROOMS.joinBatch,
            ...ROOMS.timing,
          });
        });
      const report = (measured: RoomsMeasurement): void => {
        progress(`${label}: ${roomsLine(measured)}${redisLine(measured)}`);
        if (!everyMemberServed(measured)) {
          progress(
            `${label}: FAILED: not every member got every message of its room exactly once, in order (${membersCell(measured)} members)`,
          );
        }
      };
      try {
        const measured = await quieterOf(measure, report, { ...options, label });
        result.runs.push({ ...measured, setup: setup.id, round });
      } catch (error) {
        result.failures.push(`${label} failed: ${(error as Error).message}`);
        progress(`${label}: failed: ${(error as Error).message}`);
      }
    }
  }
  return result;
};
