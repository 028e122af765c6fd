// The markdown tables of a run: every step with its ratio to the baseline, a summary in the
// shape of the issue's "where the field stands" table, and the check of the issue's targets.

import { fixed, ms, percent, rate, thousands } from './format.ts';
import type { StepResult } from './load/measure.ts';
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

export const findSeries = (
  run: BenchRun,
  scenario: Scenario['id'],
  server: Series['server'],
  protocol: Series['protocol'],
): SeriesResult | undefined =>
  run.series.find((s) => s.scenario === scenario && s.server === server && s.protocol === protocol);

export const stepAt = (series: SeriesResult | undefined, at: number): StepResult | undefined =>
  series?.steps.find((step) => step.rate === at);

export const baselineAt = (
  run: BenchRun,
  scenario: Scenario['id'],
  at: number,
): StepResult | undefined => stepAt(findSeries(run, scenario, 'baseline', 'plain'), at);

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

/** The headers of `stepCells`, with what its `complete` and `versus` columns hold. */
export const stepHeader = (complete: string, versus: string): string[] => [
  'target/s',
  'delivered/s',
  complete,
  'p50 ms',
  'p99 ms',
  'server CPU µs/delivery',
  versus,
  'server CPU',
  'deliveries/frame',
  'evicted',
  'generator',
  'other CPU',
];

/** A step's cells from the target on: `complete` and `versus` are what the table compares. */
export const stepCells = (step: StepResult, complete: string, versus: string): string[] => [
  rate(step.rate),
  rate(step.achieved),
  complete,
  ms(step.p50Ms),
  ms(step.p99Ms),
  fixed(step.serverCpuUsPerDelivery, 2),
  versus,
  `${step.serverCpuPercent.toFixed(0)}%`,
  fixed(step.deliveriesPerFrame, 1),
  String(step.evicted),
  generatorCell(step),
  `${step.otherCpuPercent.toFixed(0)}%`,
];

export const stepTable = (run: BenchRun): string => {
  const header = ['scenario', 'server', ...stepHeader('complete', '÷ baseline')];
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
      const cells = stepCells(step, percent(step.completeness), versus);
      lines.push(`| ${[series.scenario, label, ...cells].join(' | ')} |`);
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

export const idleOf = (run: BenchRun, server: Series['server']): IdleResult | undefined =>
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
