// `npm run bench`: Hubbub against a minimal ws broadcast baseline, one server at a time pinned
// to one core, the load generator pinned to the other. Prints the tables and writes
// docs/benchmarks.md and docs/benchmarks-p99.svg (unless --no-write).
// Options: --only a,b,idle,startup,core,rooms,cluster (a part of the run); --no-write (leave
// docs/ alone). BENCH_ROOMS_SCALE=0.1 runs the rooms scenario at a tenth of its size, and
// BENCH_CLUSTER_SCALE the cluster scenario at another than its own (CLUSTER.scale).
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  clusterDeliveryFailures,
  clusterNotes,
  clusterTable,
  clusterTargetTable,
} from './cluster-report.ts';
import { runClusterScenario } from './cluster-run.ts';
import { runCoreBenchmark } from './core-run.ts';
import { CHART_PATH, MARKDOWN_PATH, writeDocs } from './docs.ts';
import { reexecWithFileLimit } from './file-limit.ts';
import { rate } from './format.ts';
import { runIdleScenario } from './idle-run.ts';
import { acquireBenchLock } from './lock.ts';
import { fileLimits, hasTaskset, machine, pinSelf } from './proc-stats.ts';
import { seriesLabel, stepTable, summaryTable } from './report.ts';
import type { BenchRun, CoreResult, IdleResult, SeriesResult, StartupResult } from './results.ts';
import { roomsNotes, roomsTable, roomsTargetTable } from './rooms-report.ts';
import { runRoomsScenario } from './rooms-run.ts';
import { CLUSTER, CPUS, IDLE, NOISE, ROOMS } from './scenarios.ts';
import { runSeries } from './series-run.ts';
import { type Placement, type ServerKind, withServer as startedServer } from './servers.ts';
import { measureStartup } from './startup.ts';
import { startupTable } from './startup-report.ts';
import { targetTable } from './targets-report.ts';

const PARTS = ['a', 'b', 'idle', 'startup', 'core', 'rooms', 'cluster'] as const;
/** Open files the generator needs for the idle and rooms scenarios, with room for the rest. */
const FILES_NEEDED = Math.max(2 * IDLE.connections, ROOMS.connections) + 500;

const { values } = parseArgs({
  options: { only: { type: 'string' }, 'no-write': { type: 'boolean', default: false } },
});
const only = new Set((values.only ?? PARTS.join(',')).toLowerCase().split(','));
for (const part of only) {
  if (!PARTS.includes(part as (typeof PARTS)[number])) {
    throw new Error(`--only takes ${PARTS.join(', ')}; got "${part}"`);
  }
}

// The idle and rooms scenarios hold thousands of sockets here.
reexecWithFileLimit(FILES_NEEDED);

let started = performance.now();
const notes: string[] = [];
const progress = (line: string): void => {
  const seconds = ((performance.now() - started) / 1000).toFixed(0).padStart(3);
  process.stdout.write(`[${seconds}s] ${line}\n`);
};

if (!(await acquireBenchLock(progress))) {
  notes.push('Another benchmark run held the lock for 10 minutes; this one ran alongside it.');
  progress(
    'another benchmark run is still going after 10 minutes; running anyway (figures will be noisy)',
  );
}
started = performance.now(); // time spent waiting for the lock is not part of the run

const info = machine();
const pinned = hasTaskset() && info.cpus >= 2 && pinSelf(CPUS.generator);
const placement: Placement = {
  cpu: pinned ? CPUS.server : undefined,
  fileLimit: Math.max(FILES_NEEDED, Math.min(fileLimits().hard, 65_536)),
};
const placementText = pinned
  ? `servers pinned to CPU ${CPUS.server} and the load generator to CPU ${CPUS.generator} with \`taskset\``
  : `NOT pinned (${hasTaskset() ? `${info.cpus} CPU(s)` : 'taskset not found: apt-get install util-linux'}): server and generator share the CPUs, ratios are less reliable`;
if (!pinned) notes.push(`Servers and generator ran unpinned: ${placementText}.`);
const idleConnections = Math.min(IDLE.connections, Math.floor((fileLimits().soft - 500) / 2));
if (idleConnections < IDLE.connections) {
  notes.push(
    `Idle scenario used ${idleConnections} connections, not ${IDLE.connections}: open-file limit ${fileLimits().soft} (raise with \`ulimit -n\`).`,
  );
}
progress(`${info.cpus} CPUs (${info.model}), Node ${info.node}; ${placementText}`);

const serverCommands: Partial<Record<ServerKind, string>> = {};
const withServer = <T>(kind: ServerKind, use: (pid: number, port: number) => Promise<T>) =>
  startedServer(kind, placement, progress, (server) => {
    serverCommands[kind] = server.command;
    return use(server.pid, server.port);
  });

let repeats = 0;
const takeRepeat = (): boolean => {
  if (repeats >= NOISE.maxRepeats) return false;
  repeats++;
  return true;
};
const series: SeriesResult[] = await runSeries({
  parts: only,
  withServer,
  progress,
  takeRepeat,
});

const rooms = only.has('rooms')
  ? await runRoomsScenario({
      placement,
      progress,
      takeRepeat,
      scale: Number(process.env.BENCH_ROOMS_SCALE || '1'),
    })
  : undefined;

const cluster = only.has('cluster')
  ? await runClusterScenario({
      placement,
      progress,
      takeRepeat,
      scale: Number(process.env.BENCH_CLUSTER_SCALE || CLUSTER.scale),
    })
  : undefined;

const idle: IdleResult[] = only.has('idle')
  ? await runIdleScenario({ connections: idleConnections, withServer, progress, notes })
  : [];

let startup: StartupResult[] = [];
if (only.has('startup')) {
  try {
    startup = await measureStartup(placement, progress);
  } catch (error) {
    notes.push(`Start-up scenario failed: ${(error as Error).message}`);
    progress(`start-up: failed: ${(error as Error).message}`);
  }
}

let core: CoreResult[] | { error: string } = { error: 'not run (--only)' };
if (only.has('core')) {
  progress('core micro-benchmark (bench/core.ts)...');
  try {
    core = await runCoreBenchmark(placement.cpu);
    const top = core.find((row) => row.connections === 10_000);
    progress(
      `core: ${top?.chatRoomEventsPerSecond.toLocaleString('en-US')} events/s at 10,000 connections`,
    );
  } catch (error) {
    core = { error: (error as Error).message };
    progress(`core: failed: ${core.error}`);
  }
}

const saturatedSteps = series.flatMap((s) =>
  s.steps
    .filter((step) => step.saturated !== undefined)
    .map((step) => `${s.scenario} ${seriesLabel(s)} at ${rate(step.rate)}/s (${step.saturated})`),
);
if (saturatedSteps.length > 0) notes.push(`Generator saturated in: ${saturatedSteps.join('; ')}.`);
const noisy = series.flatMap((s) =>
  s.steps
    .filter((step) => step.otherCpuPercent > 30)
    .map(
      (step) =>
        `${s.scenario} ${seriesLabel(s)} at ${rate(step.rate)}/s (${step.otherCpuPercent.toFixed(0)}%)`,
    ),
);
if (noisy.length > 0)
  notes.push(`Other CPU above 30% of a core (noisy measurement) in: ${noisy.join('; ')}.`);
if (rooms !== undefined) notes.push(...roomsNotes(rooms));
if (cluster !== undefined) notes.push(...clusterNotes(cluster));

const run: BenchRun = {
  startedAt: new Date(Date.now() - (performance.now() - started))
    .toISOString()
    .replace(/\.\d+Z$/, 'Z'),
  durationS: (performance.now() - started) / 1000,
  machine: info,
  placement: placementText,
  serverCommands,
  series,
  idle,
  startup,
  core,
  rooms,
  cluster,
  notes,
};

process.stdout.write(
  `\n${stepTable(run)}\n\n${summaryTable(run)}\n\nStart-up:\n\n${startupTable(run)}\n\nTargets:\n\n${targetTable(run)}\n\n`,
);
if (rooms !== undefined) {
  process.stdout.write(`Rooms:\n\n${roomsTable(rooms)}\n\n${roomsTargetTable(rooms)}\n\n`);
}
if (cluster !== undefined) {
  process.stdout.write(
    `Cluster:\n\n${clusterTable(cluster)}\n\n${clusterTargetTable(cluster)}\n\n`,
  );
}
if (notes.length > 0) process.stdout.write(`${notes.map((note) => `- ${note}`).join('\n')}\n\n`);
if (values['no-write']) progress('--no-write: docs/ left alone');
else {
  writeDocs(run);
  progress(`wrote ${MARKDOWN_PATH} and ${CHART_PATH}`);
}
progress(`done in ${run.durationS.toFixed(0)} s`);
const undelivered = cluster === undefined ? [] : clusterDeliveryFailures(cluster);
if (undelivered.length > 0) {
  progress(`CLUSTER SCENARIO FAILED: ${undelivered.join('; ')}`);
  process.exitCode = 1;
}
