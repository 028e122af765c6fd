// The shape of one `npm run bench` run, as report.ts and chart.ts read it.
import type { StepResult } from './load/measure.ts';
import type { RoomsShape } from './load/rooms-layout.ts';
import type { RoomsMeasurement } from './load/rooms-step.ts';
import type { Machine } from './proc-stats.ts';
import type { ClusterSetupId, Scenario, Series } from './scenarios.ts';
import type { ServerKind } from './servers.ts';

export type SeriesResult = Series & {
  scenario: Scenario['id'];
  clients: number;
  senders: number;
  steps: StepResult[];
  /** Set when the series could not run (hubbub.v1 not spoken by this server yet, ...). */
  skipped?: string;
  /** Set when stepping stopped early, with the reason. */
  stoppedEarly?: string;
};

export type IdleResult = {
  server: ServerKind;
  connections: number;
  opened: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  kbPerConnection: number;
  acceptsPerSecond: number;
};

/** Start-up as users start the server: medians over `rounds` fresh starts. */
export type StartupResult = {
  server: ServerKind;
  /** How it was started (no benchmark preload). */
  command: string;
  rounds: number;
  /** From spawn to the first `GET /healthz` answered 200. */
  firstAnswerMs: number;
  /** VmRSS right after that first answer. */
  rssKb: number;
};

export type CoreResult = {
  connections: number;
  chatRoomEventsPerSecond: number;
  acknowledgementsPerSecond: number;
};

/** One run of the rooms scenario: every room (`wide`) or the active rooms alone (`narrow`). */
export type RoomsRun = RoomsMeasurement & {
  hub: 'wide' | 'narrow';
  round: number;
  shape: RoomsShape;
};

export type RoomsResult = {
  /** BENCH_ROOMS_SCALE: 1 for the scenario as the issue sets it. */
  scale: number;
  runs: RoomsRun[];
  /** Why the scenario, or a run of it, failed. */
  failures: string[];
};

/** One run of the cluster scenario, on one of its setups. */
export type ClusterRun = RoomsMeasurement & { setup: ClusterSetupId; round: number };

export type ClusterResult = {
  /** BENCH_CLUSTER_SCALE, or the scenario's own. */
  scale: number;
  shape: RoomsShape;
  runs: ClusterRun[];
  /** Why the scenario, or a run of it, failed. */
  failures: string[];
  /** The machine's load average (1, 5, 15 min) as the scenario began: how quiet it was. */
  loadBefore: readonly number[];
  /** How a node of the cluster and its Redis were started. */
  commands: { node?: string; redis?: string };
};

export type BenchRun = {
  startedAt: string;
  durationS: number;
  machine: Machine;
  /** How servers and generator were placed, for the report. */
  placement: string;
  serverCommands: Partial<Record<ServerKind, string>>;
  series: SeriesResult[];
  idle: IdleResult[];
  startup: StartupResult[];
  core: CoreResult[] | { error: string };
  /** Undefined when not run (--only). */
  rooms: RoomsResult | undefined;
  /** Undefined when not run (--only). */
  cluster: ClusterResult | undefined;
  notes: string[];
};
