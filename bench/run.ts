// `npm run bench`: Hubbub against a minimal ws broadcast baseline, one server at a time pinned
// to one core, the load generator pinned to the other. Prints the tables and writes
// docs/benchmarks.md and docs/benchmarks-p99.svg (unless --no-write).
// Options: --only a,b,idle,startup,core,rooms (a part of the run); --no-write (leave docs/
// alone). BENCH_ROOMS_SCALE=0.1 runs the rooms scenario at a tenth of its size.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { runCoreBenchmark } from './core-run.ts';
import { CHART_PATH, MARKDOWN_PATH, writeDocs } from './docs.ts';
import { reexecWithFileLimit } from './file-limit.ts';
import { rate } from './format.ts';
import { runIdleScenario } from './idle-run.ts';
import { probeV1 } from './load/probe.ts';
import { runStep } from './load/step.ts';
import { acquireBenchLock } from './lock.ts';
import { fileLimits, hasTaskset, machine, pinSelf } from './proc-stats.ts';
import { seriesLabel, stepTable, summaryTable } from './report.ts';
import type { BenchRun, CoreResult, IdleResult, SeriesResult, StartupResult } from './results.ts';
import { roomsNotes, roomsTable, roomsTargetTable } from './rooms-report.ts';
import { runRoomsScenario } from './rooms-run.ts';
import { CPUS, FAILS_BADLY, IDLE, NOISE, ROOMS, SCENARIOS, SERIES, TIMING } from './scenarios.ts';
import { type Placement, type ServerKind, withServer as startedServer } from './servers.ts';
import { measureStartup } from './startup.ts';
import { startupTable } from './startup-report.ts';
import { stepLine } from './step-line.ts';
import { targetTable } from './targets-report.ts';

const PARTS = ['a', 'b', 'idle', 'startup', 'core', 'rooms'] as const;
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

const series: SeriesResult[] = [];
let repeats = 0;
const takeRepeat = (): boolean => {
  if (repeats >= NOISE.maxRepeats) return false;
  repeats++;
  return true;
};
for (const scenario of SCENARIOS) {
  if (!only.has(scenario.id.toLowerCase())) continue;
  for (const { server, protocol } of SERIES) {
    const result: SeriesResult = {
      scenario: scenario.id,
      server,
      protocol,
      clients: scenario.clients,
      senders: scenario.senders,
      steps: [],
    };
    series.push(result);
    const label = `${scenario.id} ${seriesLabel(result)}`;
    try {
      await withServer(server, async (pid, port) => {
        if (protocol === 'v1') {
          const probe = await probeV1(port);
          if (!probe.supported) {
            result.skipped = `hubbub.v1 not supported by this server (${probe.why})`;
            progress(`${label}: ${result.skipped}`);
            return;
          }
        }
        for (const target of scenario.rates) {
          const plan = {
            port,
            serverPid: pid,
            protocol,
            clients: scenario.clients,
            senders: scenario.senders,
            rate: target,
            ...TIMING,
          };
          let step = await runStep(plan);
          progress(`${label} ${rate(target)}/s: ${stepLine(step)}`);
          if (step.otherCpuPercent > NOISE.otherCpuPercent && takeRepeat()) {
            progress(`${label} ${rate(target)}/s: other processes were busy; measuring again`);
            const again = await runStep(plan);
            progress(`${label} ${rate(target)}/s: ${stepLine(again)}`);
            if (again.otherCpuPercent < step.otherCpuPercent) step = again;
          }
          result.steps.push(step);
          if (step.completeness < FAILS_BADLY.completeness || step.p99Ms > FAILS_BADLY.p99Ms) {
            result.stoppedEarly = `stopped after ${rate(target)}/s failed badly`;
            progress(`${label}: ${result.stoppedEarly}, no higher rates`);
            break;
          }
        }
      });
    } catch (error) {
      result.skipped ??= `failed: ${(error as Error).message}`;
      progress(`${label}: ${result.skipped}`);
    }
  }
}

const rooms = only.has('rooms')
  ? await runRoomsScenario({
      placement,
      progress,
      takeRepeat,
      scale: Number(process.env.BENCH_ROOMS_SCALE || '1'),
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
  notes,
};

process.stdout.write(
  `\n${stepTable(run)}\n\n${summaryTable(run)}\n\nStart-up:\n\n${startupTable(run)}\n\nTargets:\n\n${targetTable(run)}\n\n`,
);
if (rooms !== undefined) {
  process.stdout.write(`Rooms:\n\n${roomsTable(rooms)}\n\n${roomsTargetTable(rooms)}\n\n`);
}
if (notes.length > 0) process.stdout.write(`${notes.map((note) => `- ${note}`).join('\n')}\n\n`);
if (values['no-write']) progress('--no-write: docs/ left alone');
else {
  writeDocs(run);
  progress(`wrote ${MARKDOWN_PATH} and ${CHART_PATH}`);
}
progress(`done in ${run.durationS.toFixed(0)} s`);
