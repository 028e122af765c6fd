// What `npm run bench` measures: the scenarios of issue 3 and the bounds of every step.
import type { Protocol } from './load/protocols.ts';
import type { RoomsShape } from './load/rooms-layout.ts';
import type { ServerKind } from './servers.ts';

export const TIMING = { warmupMs: 1_000, measureMs: 3_000, drainMs: 2_000 } as const;

export type Scenario = {
  id: 'A' | 'B';
  clients: number;
  senders: number;
  /** Deliveries per second, stepped up until a step fails badly. */
  rates: readonly number[];
};

export const SCENARIOS: readonly Scenario[] = [
  { id: 'A', clients: 100, senders: 10, rates: [25_000, 50_000, 100_000, 200_000, 400_000] },
  { id: 'B', clients: 1_000, senders: 5, rates: [50_000, 100_000, 200_000] },
];

export type Series = { server: ServerKind; protocol: Protocol };

/** One server process per series; the baseline speaks only the plain protocol. */
export const SERIES: readonly Series[] = [
  { server: 'baseline', protocol: 'plain' },
  { server: 'hubbub', protocol: 'plain' },
  { server: 'hubbub', protocol: 'v1' },
];

/** Idle memory: two batches of `connections` held at once; the second one is measured. */
export const IDLE = { connections: 5_000, inFlight: 200 } as const;

/** A step this bad ends its series: higher rates would only fail worse, and take time. */
export const FAILS_BADLY = { completeness: 0.99, p99Ms: 1_000 } as const;

/** "Every message delivered and p99 < 100 ms": the bar for a rate the server handles. */
export const CLEAN_P99_MS = 100;

/** The rate at which the issue compares CPU per delivery against the baseline. */
export const REFERENCE_RATE = 50_000;

/** Server CPU, generator CPU; the machine has two. */
export const CPUS = { server: 0, generator: 1 } as const;

/**
 * A step during which other processes used more than this share of a core is measured again
 * (once per step, at most MAX_REPEATS times per run), and the quieter of the two is kept.
 */
export const NOISE = { otherCpuPercent: 30, maxRepeats: 8 } as const;

/**
 * The rooms scenario (issue 12): hubbub.v2 connections in rooms of `roomSize`, `activeRooms` of
 * which have a sender, against those active rooms alone; the same deliveries per second in
 * both (activeRooms × messagesPerSender × roomSize: 25,000/s, about half of what the generator
 * reads on its core). Each run on a fresh server, the two taking turns for `rounds` rounds; the
 * median of each is reported.
 */
export const ROOMS = {
  connections: 10_000,
  roomSize: 10,
  activeRooms: 100,
  messagesPerSender: 25,
  rounds: 3,
  /** Joins sent before their answers are awaited. */
  joinBatch: 500,
  timing: { warmupMs: 2_000, measureMs: 5_000, drainMs: 2_000 },
} as const;

/** The goal: server CPU per delivery with every room ÷ with the active rooms alone. */
export const ROOMS_CPU_RATIO_GOAL = 1.1;

export type RoomsShapes = { wide: RoomsShape; narrow: RoomsShape; scale: number };

/**
 * The two hubs compared, at `scale` (0 < scale ≤ 1, from BENCH_ROOMS_SCALE for a quick run):
 * fewer active rooms, and with them fewer rooms, connections and deliveries per second.
 */
export const roomsShapes = (scale: number): RoomsShapes => {
  if (!(scale > 0 && scale <= 1))
    throw new Error(`the rooms scale must be in (0, 1]; got ${scale}`);
  const activeRooms = Math.max(1, Math.round(ROOMS.activeRooms * scale));
  const roomsPerActive = ROOMS.connections / ROOMS.roomSize / ROOMS.activeRooms;
  const { roomSize } = ROOMS;
  return {
    wide: { connections: activeRooms * roomsPerActive * roomSize, roomSize, activeRooms },
    narrow: { connections: activeRooms * roomSize, roomSize, activeRooms },
    scale,
  };
};

/**
 * The server's limits in both runs of the rooms scenario, from the larger: the defaults would
 * refuse thousands of sockets from one address and 25 messages a second per sender, so each is
 * raised just past what the scenario needs (not lifted, so its cost is measured).
 */
export const roomsServerFlags = ({ connections, roomSize, activeRooms }: RoomsShape): string[] => {
  const messagesPerSecond = activeRooms * ROOMS.messagesPerSender;
  return [
    ['--max-connections', connections + 500],
    ['--max-connections-per-ip', connections + 500],
    ['--rate-limit', ROOMS.messagesPerSender * 4],
    // Every join is a message too: all of them at once fit the per-address burst (twice this).
    ['--rate-limit-per-ip', Math.max(connections, messagesPerSecond * 4)],
    ['--max-rooms', connections / roomSize + 100],
  ].flatMap(([flag, value]) => [String(flag), String(value)]);
};

/**
 * The cluster scenario (issue 13): the rooms scenario's load (all rooms, `roomsShapes(scale)
 * .wide`) on each setup, each run on fresh servers and a fresh Redis, the setups taking turns
 * for `rounds` rounds (single runs of a setup differ by up to a fifth on a quiet machine). At
 * scale 0.5 the servers' core carries two nodes and Redis (about 70–80% and 10–12% of it on a
 * quiet machine here; one node with the memory engine about half), while the generator keeps
 * its own core; at scale 1 they would not fit. BENCH_CLUSTER_SCALE changes it.
 */
export const CLUSTER = {
  scale: 0.5,
  rounds: 5,
  /** Server CPU per delivery, summed over both nodes, ÷ one node with the memory engine. */
  cpuRatioGoal: 1.5,
  p99GoalMs: 50,
} as const;

export type ClusterSetupId = 'memory' | 'redis' | 'cluster';
export type ClusterSetup = Readonly<{
  id: ClusterSetupId;
  nodes: number;
  redis: boolean;
  label: string;
}>;

/** The first is the baseline: one node with the engine Hubbub runs by default. */
export const CLUSTER_SETUPS: readonly ClusterSetup[] = [
  { id: 'memory', nodes: 1, redis: false, label: 'one node, memory engine' },
  { id: 'redis', nodes: 1, redis: true, label: 'one node on Redis' },
  { id: 'cluster', nodes: 2, redis: true, label: 'two nodes on Redis' },
];
