// The check of issue 3's targets against a run: the figures the issue set, each with its verdict.
import { fixed, ms, percent, rate, thousands } from './format.ts';
import { baselineAt, everyMessageDelivered, findSeries, idleOf, stepAt } from './report.ts';
import type { BenchRun } from './results.ts';
import { CLEAN_P99_MS, REFERENCE_RATE } from './scenarios.ts';

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

type Ratio = { value: number; reference: number; unit: string; digits: number };

/** A figure over its reference; FAIL, saying `missing`, when either was not measured. */
const ratioCheck = (
  figure: string,
  target: string,
  ratio: Ratio | undefined,
  pass: (ratio: number) => boolean,
  suffix = '',
): TargetCheck => {
  if (ratio === undefined) return { figure, target, measured: 'not measured', verdict: 'FAIL' };
  const { value, reference, unit, digits } = ratio;
  const times = value / reference;
  return {
    figure,
    target,
    measured: `${fixed(value, digits)} ${unit} ÷ ${fixed(reference, digits)} ${unit} = ${times.toFixed(2)}×${suffix}`,
    verdict: verdict(pass(times)),
  };
};

export const targetChecks = (run: BenchRun): TargetCheck[] => {
  const step = stepAt(findSeries(run, 'A', 'hubbub', 'plain'), REFERENCE_RATE);
  const base = baselineAt(run, 'A', REFERENCE_RATE);
  const [hub, baseIdle] = [idleOf(run, 'hubbub'), idleOf(run, 'baseline')];
  const checks: TargetCheck[] = [
    ratioCheck(
      `plain protocol, scenario A at ${rate(REFERENCE_RATE)} deliveries/s: CPU µs per delivery`,
      '≤ 0.80 × baseline, every message delivered',
      step === undefined || base === undefined
        ? undefined
        : {
            value: step.serverCpuUsPerDelivery,
            reference: base.serverCpuUsPerDelivery,
            unit: 'µs',
            digits: 2,
          },
      (times) => times <= 0.8 && step !== undefined && everyMessageDelivered(step),
      step === undefined ? '' : `, ${percent(step.completeness)} delivered`,
    ),
    v1Check(run, 'A', 400_000, 0.18),
    v1Check(run, 'B', 200_000, 0.28),
    ratioCheck(
      'idle memory per connection',
      '≤ 1.15 × baseline',
      hub === undefined || baseIdle === undefined
        ? undefined
        : {
            value: hub.kbPerConnection,
            reference: baseIdle.kbPerConnection,
            unit: 'KB',
            digits: 1,
          },
      (times) => times <= 1.15,
    ),
  ];
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
