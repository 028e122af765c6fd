// docs/benchmarks.md and docs/benchmarks-p99.svg from a run. Whatever follows the KEEP marker
// in an existing docs/benchmarks.md (profiles, analysis) is carried over into the new file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { p99Chart } from './chart.ts';
import { clusterMarkdown } from './cluster-docs.ts';
import { SATURATION } from './load/measure.ts';
import { coreTable, idleTable, stepTable, summaryTable } from './report.ts';
import type { BenchRun } from './results.ts';
import { roomsMarkdown } from './rooms-docs.ts';
import { CLEAN_P99_MS, FAILS_BADLY, IDLE, NOISE, SCENARIOS, TIMING } from './scenarios.ts';
import { STARTUP } from './startup.ts';
import { startupTable } from './startup-report.ts';
import { targetTable } from './targets-report.ts';

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));
export const MARKDOWN_PATH = `${DOCS}benchmarks.md`;
export const CHART_PATH = `${DOCS}benchmarks-p99.svg`;
const KEEP = '<!-- Written by hand below this line: `npm run bench` keeps it. -->';

const keptNotes = (): string => {
  if (!existsSync(MARKDOWN_PATH)) return '';
  const text = readFileSync(MARKDOWN_PATH, 'utf8');
  const at = text.indexOf(KEEP);
  return at < 0 ? '' : text.slice(at + KEEP.length).trim();
};

const caveats = (run: BenchRun): string => {
  const steps = run.series.flatMap((series) => series.steps);
  const perRead = steps.map((step) => step.generatorUsPerRead).filter((v) => v > 0);
  const [low, high] = [Math.min(...perRead), Math.max(...perRead)];
  const readCost =
    perRead.length === 0
      ? ''
      : ` (${low.toFixed(1)}–${high.toFixed(1)} µs per socket read in this run)`;
  const fanIn = SCENARIOS.find((s) => s.id === 'B')?.clients ?? 1_000;
  const inB = run.series
    .filter((series) => series.scenario === 'B')
    .flatMap((series) => series.steps.map((step) => step.generatorUsPerRead))
    .filter((v) => v > 0)
    .sort((a, b) => a - b);
  const medianInB = inB[Math.floor(inB.length / 2)];
  const skewMs = medianInB === undefined ? Number.NaN : (fanIn * medianInB) / 1000;
  return [
    `**Where the generator saturates.** Its time goes mostly to the kernel${readCost}: read calls and the loopback ACKs they trigger. A server that writes each delivery on its own (the baseline) costs it one read per delivery, so its core fills near 200k deliveries/s, about where such a server on one core saturates as well; when the server batches writes, one read carries many frames and the generator keeps up at 400k/s. Steps where it saturated are flagged in the table and listed below.`,
    `**Fan-in in scenario B.** A message reaches ${fanIn.toLocaleString('en-US')} sockets at once and the one generator thread reads them one after another, so latencies in B include up to ~${Number.isFinite(skewMs) ? skewMs.toFixed(1) : '?'} ms of the generator's own queue (${fanIn.toLocaleString('en-US')} reads at a median ${medianInB?.toFixed(1) ?? '?'} µs each), most visible at p50. Compare B rows with each other, not with A.`,
    '**Incomplete is not always lost.** The baseline never drops anyone: when it falls behind, its latency grows, and messages still queued when the drain ends count as missing. Hubbub evicts a connection that falls `--send-buffer` (256) messages behind; *evicted* counts those.',
    "**CPU figures** are utime + stime from `/proc/PID/stat` in clock ticks (10 ms at CLK_TCK 100): ±1% of a core over the 3 s window. Loopback TCP work done in softirq is charged to whichever process the CPU was running, so a little of one side's network work can land on the other.",
    '**Idle memory** is marginal: what a second batch of idle connections adds while the first is held, so a fresh process growing its heap to its working size is not counted per connection. RSS is read after a forced GC (both servers run with a bench-only preload that answers SIGUSR2 with `gc()`); the median of three rounds on fresh servers is reported, and single rounds move by about ±5%.',
  ]
    .map((text) => `- ${text}`)
    .join('\n');
};

export const markdown = (run: BenchRun, notes: string): string => {
  const { machine } = run;
  const scenarios = SCENARIOS.map(
    (s) =>
      `- **${s.id}**: ${s.clients.toLocaleString('en-US')} clients, ${s.senders} of which also send; target rates ${s.rates.map((r) => `${r / 1000}k`).join(', ')} deliveries/s.`,
  ).join('\n');
  return `# Benchmarks

\`npm run bench\` starts each server under test on its own, pinned to one core, drives it with
the same load generator on the other core, and compares Hubbub with a minimal \`ws\` broadcast
server (\`bench/baseline-server.mjs\`: every message \`send\` to every open client). This file and
the chart are rewritten by every run; the figures below are from the run of ${run.startedAt}.

## How to run

\`\`\`sh
npm ci
npm run bench          # about ${Math.ceil(run.durationS / 60)} minutes; writes docs/benchmarks.md and docs/benchmarks-p99.svg
npm run bench -- --only a,idle --no-write   # a part only (a, b, idle, startup, core, rooms, cluster), docs untouched
BENCH_ROOMS_SCALE=0.1 npm run bench -- --only rooms --no-write   # the rooms scenario at a tenth of its size
npm run bench -- --only cluster --no-write   # two nodes on a private Redis (needs /usr/bin/redis-server)
BENCH_CPU_PROF=/tmp/prof npm run bench -- --only cluster --no-write   # each Hubbub writes a CPU profile there
npm run bench:core     # the core micro-benchmark alone
BENCH_HUBBUB_DIR=../other-checkout npm run bench -- --no-write   # Hubbub from another checkout
\`\`\`

Loopback only (127.0.0.1). Runs take a lock (\`hubbub-bench.lock\` in the temporary directory),
so a second \`npm run bench\` waits for the first instead of sharing its cores. Run it on an
otherwise idle machine: the "other CPU" column shows
CPU used during the measure window by anything but the server and the generator (other
processes, and kernel network work not charged to either); tens of percent there mean a noisy
step. A step with more than ${NOISE.otherCpuPercent}% is measured again (at most ${NOISE.maxRepeats} times a run) and the quieter
measurement kept. Absolute figures vary from machine to machine and run to run; compare only inside one run.

## Machine

- ${machine.cpus} CPUs: ${machine.model}
- Node ${machine.node}, Linux ${machine.kernel}
- ${run.placement}
- servers: \`${run.serverCommands.hubbub ?? 'node dist/main.js --host 127.0.0.1 --port 0'}\` (default settings: send buffer 256, max message 512 bytes, permessage-deflate off) and \`${run.serverCommands.baseline ?? 'node bench/baseline-server.mjs --host 127.0.0.1 --port 0'}\` (maxPayload 512, permessage-deflate off)

## Method

${scenarios}
- Every client receives every message (the senders too), so deliveries/s = messages/s × clients.
  Messages are 64 bytes of ASCII carrying the sender, its sequence number and the send time;
  plain: one message per text frame; \`hubbub.v1\`: \`{"type":"send","text":...}\` up, JSON
  arrays down. The baseline speaks only the plain protocol; \`hubbub.v1\` rows are compared with
  the baseline's plain protocol at 50k/s, as the issue's targets are.
- Each step opens fresh connections (200 handshakes in flight), paces the senders for
  ${TIMING.warmupMs / 1000} s of warm-up and ${TIMING.measureMs / 1000} s of measurement, stops them and waits up to
  ${TIMING.drainMs / 1000} s for the last deliveries. *delivered/s* is deliveries received during the measure window;
  *complete*, *p50* and *p99* are over the messages sent in it (send to receive, on one clock);
  *server CPU µs/delivery* is the server's utime + stime from \`/proc/PID/stat\` over the window
  divided by the deliveries received in it; *deliveries/frame* shows batching; *evicted* counts
  connections the server closed. Each server is started fresh for each series and measured
  once its CPU has gone quiet after start-up. A series stops at the first step with completeness below
  ${FAILS_BADLY.completeness * 100}% or p99 above ${FAILS_BADLY.p99Ms / 1000} s.
- The generator (\`bench/load/\`) uses raw \`node:net\` sockets, one shared read buffer and a
  hand-written frame parser, and reads our fields at fixed offsets without decoding strings.
  A step counts it as **saturated** when its CPU reached ${SATURATION.cpuPercent}% of its core, when its senders ran
  more than ${SATURATION.sendLagP50Ms} ms behind schedule at the median, or when its event-loop delay p99 exceeded
  ${SATURATION.loopP99Ms} ms; such a step measures the generator as much as the server.
- Idle memory is marginal: ${IDLE.connections.toLocaleString('en-US')} plain connections opened and held (so code loading
  and the heap growing to its working size are not counted), RSS (\`VmRSS\`) read after a forced GC once it
  settles, ${IDLE.connections.toLocaleString('en-US')} more opened, RSS read again the same way; the difference over the second
  batch, the median of three rounds on fresh servers. Accepted/s is the second batch over the time
  to open it, ${IDLE.inFlight} handshakes in flight, with the first batch held.
- Start-up: each server started ${STARTUP.rounds} times in turns, as users start it (no GC preload:
  ${run.startup.map((result) => `\`${result.command}\``).join(' and ') || 'not run'}), pinned like
  the others; *first answer* is the time from spawn to the first \`GET /healthz\` answered 200
  (the port is read from the line each prints once listening), and RSS (\`VmRSS\`) is read right
  then; the medians are reported. The baseline is plain JavaScript run by \`node\` alone and
  Hubbub the compiled \`dist/\`, so neither carries a TypeScript loader.

## Every step

${stepTable(run)}

*÷ baseline*: the server's CPU µs per delivery over the baseline's, at the same scenario and
rate for the plain protocol, at 50k/s (plain) in the same scenario for \`hubbub.v1\`.

## Summary

${summaryTable(run)}

"Highest rate" means the highest target rate stepped through with every message delivered and
p99 < ${CLEAN_P99_MS} ms; the top step of each scenario bounds it.

![p99 latency against delivered rate](benchmarks-p99.svg)

### Idle connections

${idleTable(run)}

### Core micro-benchmark (\`npm run bench:core\`, pinned like the servers)

${coreTable(run)}

## Start-up

${startupTable(run)}

${roomsMarkdown(run.rooms)}

${clusterMarkdown(run.cluster)}

## Targets (issue 3)

${targetTable(run)}

## Caveats

${caveats(run)}
${run.notes.length === 0 ? '' : `\n## Notes on this run\n\n${run.notes.map((note) => `- ${note}`).join('\n')}\n`}
${KEEP}
${notes === '' ? '' : `\n${notes}\n`}`;
};

export const writeDocs = (run: BenchRun): void => {
  const notes = keptNotes();
  writeFileSync(CHART_PATH, p99Chart(run));
  writeFileSync(MARKDOWN_PATH, markdown(run, notes));
};
