// The markdown tables of a run: every step with its ratio to the baseline, a summary in the
// shape of the issue's "where the field stands" table, and the check of the issue's targets.

import { fixed, ms, percent, rate, thousands } from './format.ts';
import type { StepResult } from './load/step.ts';
import type { BenchRun, IdleResult, SeriesResult } from './results.ts';
import { CLEAN_P99_MS, REFERENCE_RATE, type Scenario, type Series } from './scenarios.ts';

export const seriesLabel = (series: Series): string =>
  series.server === 'baseline'
    ? 'baseline (ws)'
    : series.protocol === 'v1'
      ? 'Hubbub hubbub.v1'
      : 'Hubbub plain';

export const everyMessageDelivered = (step: StepResult): boolean =>
  step.expected > 0 && step.delivered >= step.expected;

export const isClean = (step: StepResult): boolean =>
  everyMessageDelivered(step) && step.p99Ms < CLEAN_P99_MS;

const findSeries = (
  run: BenchRun,
  scenario: Scenario['id'],
  server: Series['server'],
  protocol: Series['protocol'],
): SeriesResult | undefined =>
  run.series.find((s) => s.scenario === scenario && s.server === server && s.protocol === protocol);

const stepAt = (series: SeriesResult | undefined, at: number): StepResult | undefined =>
  series?.steps.find((step) => step.rate === at);

const baselineAt = (run: BenchRun, scenario: Scenario['id'], at: number): StepResult | undefined =>
  stepAt(findSeries(run, scenario, 'baseline', 'plain'), at);

/** The baseline step a row is compared with: same rate for plain, 50k/s plain for hubbub.v1. */
const comparedWith = (run: BenchRun, series: SeriesResult, step: StepResult) =>
  baselineAt(run, series.scenario, series.protocol === 'v1' ? REFERENCE_RATE : step.rate);

const ratio = (value: number, reference: number | undefined): string =>
  reference === undefined || !Number.isFinite(value) || reference <= 0
    ? '—'
    : `${(value / reference).toFixed(2)}×`;

const generatorCell = (step: StepResult): string =>
  step.saturated === undefined
    ? `ok (${step.generatorCpuPercent.toFixed(0)}% CPU, loop p99 ${ms(step.generatorLoopP99Ms)} ms)`
    : `**saturated** (${step.saturated})`;

export const stepTable = (run: BenchRun): string => {
  const header = [
    'scenario',
    'server',
    'target/s',
    'delivered/s',
    'complete',
    'p50 ms',
    'p99 ms',
    'server CPU µs/delivery',
    '÷ baseline',
    'server CPU',
    'deliveries/frame',
    'evicted',
    'generator',
    'other CPU',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const series of run.series) {
    const label = seriesLabel(series);
    if (series.skipped !== undefined) {
      lines.push(
        `| ${series.scenario} | ${label} | ${header
          .slice(2)
          .map((_, i) => (i === 0 ? `not run: ${series.skipped}` : ''))
          .join(' | ')} |`,
      );
      continue;
    }
    for (const step of series.steps) {
      const reference = comparedWith(run, series, step);
      const versus =
        series.server === 'baseline'
          ? '1.00×'
          : ratio(step.serverCpuUsPerDelivery, reference?.serverCpuUsPerDelivery);
      lines.push(
        `| ${[
          series.scenario,
          label,
          rate(step.rate),
          rate(step.achieved),
          percent(step.completeness),
          ms(step.p50Ms),
          ms(step.p99Ms),
          fixed(step.serverCpuUsPerDelivery, 2),
          versus,
          `${step.serverCpuPercent.toFixed(0)}%`,
          fixed(step.deliveriesPerFrame, 1),
          String(step.evicted),
          generatorCell(step),
          `${step.otherCpuPercent.toFixed(0)}%`,
        ].join(' | ')} |`,
      );
    }
  }
  return lines.join('\n');
};

/** The highest target rate whose step delivered every message with p99 < 100 ms. */
const highestClean = (series: SeriesResult | undefined): string => {
  if (series === undefined || series.skipped !== undefined) return 'not run';
  const clean = series.steps.filter(isClean);
  const top = clean.at(-1);
  if (top === undefined) return 'none';
  return `${rate(top.rate)}/s${top.saturated === undefined ? '' : ' (generator saturated)'}`;
};

const idleOf = (run: BenchRun, server: Series['server']): IdleResult | undefined =>
  run.idle.find((idle) => idle.server === server);

export const summaryTable = (run: BenchRun): string => {
  const rows = [
    '| server on one core | CPU µs per delivery at 50k/s (A / B) | ÷ baseline (A / B) | highest rate with every message delivered and p99 < 100 ms (A / B) | idle memory per connection | ÷ baseline | connections accepted/s |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const kinds: Series[] = [
    { server: 'baseline', protocol: 'plain' },
    { server: 'hubbub', protocol: 'plain' },
    { server: 'hubbub', protocol: 'v1' },
  ];
  const baseIdle = idleOf(run, 'baseline');
  for (const kind of kinds) {
    const [a, b] = (['A', 'B'] as const).map((id) =>
      findSeries(run, id, kind.server, kind.protocol),
    );
    const cpu = [a, b].map((s) => stepAt(s, REFERENCE_RATE)?.serverCpuUsPerDelivery);
    const base = (['A', 'B'] as const).map(
      (id) => baselineAt(run, id, REFERENCE_RATE)?.serverCpuUsPerDelivery,
    );
    const idle = kind.protocol === 'plain' ? idleOf(run, kind.server) : undefined;
    rows.push(
      `| ${[
        seriesLabel(kind),
        cpu.map((value) => (value === undefined ? '—' : fixed(value, 2))).join(' / '),
        cpu.map((value, i) => (value === undefined ? '—' : ratio(value, base[i]))).join(' / '),
        [a, b].map(highestClean).join(' / '),
        idle === undefined ? '(same server)' : `${fixed(idle.kbPerConnection, 1)} KB`,
        idle === undefined ? '' : ratio(idle.kbPerConnection, baseIdle?.kbPerConnection),
        idle === undefined ? '' : thousands(idle.acceptsPerSecond),
      ].join(' | ')} |`,
    );
  }
  return rows.join('\n');
};

export const idleTable = (run: BenchRun): string =>
  [
    '| server | connections opened | RSS before | RSS after | per connection | accepted/s (200 in flight) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...run.idle.map(
      (idle) =>
        `| ${idle.server} | ${thousands(idle.opened)} of ${thousands(idle.connections)} | ${thousands(idle.rssBeforeKb)} KB | ${thousands(idle.rssAfterKb)} KB | ${fixed(idle.kbPerConnection, 1)} KB | ${thousands(idle.acceptsPerSecond)} |`,
    ),
  ].join('\n');

export type TargetCheck = { figure: string; target: string; measured: string; verdict: string };

const verdict = (pass: boolean): string => (pass ? 'PASS' : 'FAIL');

const v1Check = (run: BenchRun, scenario: 'A' | 'B', at: number, factor: number): TargetCheck => {
  const figure = `hubbub.v1, scenario ${scenario} at ${rate(at)} deliveries/s`;
  const target = `every message delivered, p99 < ${CLEAN_P99_MS} ms, CPU µs/delivery ≤ ${factor.toFixed(2)} × baseline's at ${rate(REFERENCE_RATE)}/s`;
  const series = findSeries(run, scenario, 'hubbub', 'v1');
  const step = stepAt(series, at);
  const base = baselineAt(run, scenario, REFERENCE_RATE);
  if (series?.skipped !== undefined) {
    return { figure, target, measured: series.skipped, verdict: 'NOT RUN' };
  }
  if (step === undefined || base === undefined) {
    const why = step === undefined ? (series?.stoppedEarly ?? 'step not reached') : 'no baseline';
    return { figure, target, measured: why, verdict: 'FAIL' };
  }
  const cpuRatio = step.serverCpuUsPerDelivery / base.serverCpuUsPerDelivery;
  const pass = everyMessageDelivered(step) && step.p99Ms < CLEAN_P99_MS && cpuRatio <= factor;
  return {
    figure,
    target,
    measured: `${percent(step.completeness)} delivered, p99 ${ms(step.p99Ms)} ms, ${fixed(step.serverCpuUsPerDelivery, 2)} µs ÷ ${fixed(base.serverCpuUsPerDelivery, 2)} µs = ${cpuRatio.toFixed(2)}×${step.saturated === undefined ? '' : ' (generator saturated)'}`,
    verdict: verdict(pass),
  };
};

export const targetChecks = (run: BenchRun): TargetCheck[] => {
  const checks: TargetCheck[] = [];
  {
    const figure = `plain protocol, scenario A at ${rate(REFERENCE_RATE)} deliveries/s: CPU µs per delivery`;
    const target = '≤ 0.80 × baseline, every message delivered';
    const step = stepAt(findSeries(run, 'A', 'hubbub', 'plain'), REFERENCE_RATE);
    const base = baselineAt(run, 'A', REFERENCE_RATE);
    if (step === undefined || base === undefined) {
      checks.push({ figure, target, measured: 'step missing', verdict: 'FAIL' });
    } else {
      const cpuRatio = step.serverCpuUsPerDelivery / base.serverCpuUsPerDelivery;
      checks.push({
        figure,
        target,
        measured: `${fixed(step.serverCpuUsPerDelivery, 2)} µs ÷ ${fixed(base.serverCpuUsPerDelivery, 2)} µs = ${cpuRatio.toFixed(2)}×, ${percent(step.completeness)} delivered`,
        verdict: verdict(cpuRatio <= 0.8 && everyMessageDelivered(step)),
      });
    }
  }
  checks.push(v1Check(run, 'A', 400_000, 0.18));
  checks.push(v1Check(run, 'B', 200_000, 0.28));
  {
    const figure = 'idle memory per connection';
    const target = '≤ 1.15 × baseline';
    const [hub, base] = [idleOf(run, 'hubbub'), idleOf(run, 'baseline')];
    if (hub === undefined || base === undefined) {
      checks.push({ figure, target, measured: 'not measured', verdict: 'FAIL' });
    } else {
      const memRatio = hub.kbPerConnection / base.kbPerConnection;
      checks.push({
        figure,
        target,
        measured: `${fixed(hub.kbPerConnection, 1)} KB ÷ ${fixed(base.kbPerConnection, 1)} KB = ${memRatio.toFixed(2)}×`,
        verdict: verdict(memRatio <= 1.15),
      });
    }
  }
  {
    const figure = 'core micro-benchmark (`npm run bench:core`)';
    const target = '≥ 1,000,000 events/s at 10,000 connections';
    if ('error' in run.core) {
      checks.push({ figure, target, measured: run.core.error, verdict: 'FAIL' });
    } else {
      const row = run.core.find((r) => r.connections === 10_000);
      checks.push({
        figure,
        target,
        measured:
          row === undefined
            ? 'no 10,000 row'
            : `${thousands(row.chatRoomEventsPerSecond)} events/s in the chat room (broadcast + every ack); acknowledgements alone ${thousands(row.acknowledgementsPerSecond)}/s`,
        verdict: verdict((row?.chatRoomEventsPerSecond ?? 0) >= 1_000_000),
      });
    }
  }
  return checks;
};

export const targetTable = (run: BenchRun): string =>
  [
    '| figure | target | measured | result |',
    '| --- | --- | --- | --- |',
    ...targetChecks(run).map(
      (check) => `| ${check.figure} | ${check.target} | ${check.measured} | **${check.verdict}** |`,
    ),
  ].join('\n');

export const coreTable = (run: BenchRun): string =>
  'error' in run.core
    ? `not run: ${run.core.error}`
    : [
        '| connections | chat room: events/s (broadcast + every ack) | acknowledgements alone: events/s |',
        '| ---: | ---: | ---: |',
        ...run.core.map(
          (row) =>
            `| ${thousands(row.connections)} | ${thousands(row.chatRoomEventsPerSecond)} | ${thousands(row.acknowledgementsPerSecond)} |`,
        ),
      ].join('\n');
