// The cluster scenario in the report: the median run of each setup, the check of issue 13's
// goals against one node with the memory engine, and notes on every round.
import { fixed, ms, thousands } from './format.ts';
import { stepCells, stepHeader } from './report.ts';
import type { ClusterResult, ClusterRun } from './results.ts';
import { everyMemberServed, medianByCpu, membersCell } from './rooms-report.ts';
import { CLUSTER, CLUSTER_SETUPS, type ClusterSetupId, NOISE } from './scenarios.ts';

const labelOf = (id: ClusterSetupId): string =>
  CLUSTER_SETUPS.find((setup) => setup.id === id)?.label ?? id;

export const medianOf = (result: ClusterResult, id: ClusterSetupId): ClusterRun | undefined =>
  medianByCpu(result.runs.filter((run) => run.setup === id));

/** Redis CPU per message published in the window, in µs; undefined without Redis. */
export const redisUsPerMessage = (run: ClusterRun): number | undefined =>
  run.storeCpu === undefined ? undefined : run.storeCpu.us / Math.max(1, run.published);

const redisCells = (run: ClusterRun): string[] =>
  run.storeCpu === undefined
    ? ['—', '—']
    : [fixed(redisUsPerMessage(run) ?? Number.NaN, 1), `${run.storeCpu.percent.toFixed(0)}%`];

export const clusterTable = (result: ClusterResult): string => {
  const header = [
    'setup',
    ...stepHeader('members with every message once, in order', '÷ one node, memory'),
    'Redis CPU µs/message',
    'Redis CPU',
  ];
  const baseline = medianOf(result, 'memory')?.step.serverCpuUsPerDelivery;
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const setup of CLUSTER_SETUPS) {
    const run = medianOf(result, setup.id);
    if (run === undefined) continue;
    const { step } = run;
    const ratio =
      baseline === undefined ? '—' : `${(step.serverCpuUsPerDelivery / baseline).toFixed(2)}×`;
    const cells = [...stepCells(step, membersCell(run), ratio), ...redisCells(run)];
    lines.push(`| ${[setup.label, ...cells].join(' | ')} |`);
  }
  return lines.join('\n');
};

/** Runs in which a member missed, repeated or reordered a message, and runs that failed. */
export const clusterDeliveryFailures = (result: ClusterResult): string[] => [
  ...result.runs
    .filter((run) => !everyMemberServed(run))
    .map((run) => `${labelOf(run.setup)}, round ${run.round}: ${membersCell(run)} members`),
  ...result.failures,
];

export type ClusterCheck = {
  figure: string;
  target: string;
  measured: string;
  /** Undefined for a figure reported without a goal. */
  pass: boolean | undefined;
};

export const clusterChecks = (result: ClusterResult): ClusterCheck[] => {
  const [memory, redis, cluster] = (['memory', 'redis', 'cluster'] as const).map((id) =>
    medianOf(result, id),
  );
  const failures = clusterDeliveryFailures(result);
  const delivery: ClusterCheck = {
    figure: 'every member got every message of its room exactly once, in order (every run)',
    target: `all ${thousands(result.shape.activeRooms * result.shape.roomSize)} members of active rooms, nobody else`,
    measured:
      failures.length === 0
        ? `${result.runs.length} of ${result.runs.length} runs`
        : failures.join('; '),
    pass: failures.length === 0 && result.runs.length > 0,
  };
  if (memory === undefined || cluster === undefined) {
    const measured = result.failures.join('; ') || 'not measured';
    return [
      {
        figure: 'cluster scenario',
        target: 'baseline and cluster measured',
        measured,
        pass: false,
      },
      delivery,
    ];
  }
  const [base, both] = [memory, cluster].map((run) => run.step.serverCpuUsPerDelivery) as [
    number,
    number,
  ];
  const redisFigures = [cluster, redis].map((run) =>
    run === undefined ? '—' : `${fixed(redisUsPerMessage(run) ?? Number.NaN, 1)} µs`,
  );
  return [
    {
      figure: `server CPU per delivery, ${labelOf('cluster')} (summed over both) ÷ ${labelOf('memory')}`,
      target: `≤ ${CLUSTER.cpuRatioGoal.toFixed(1)}×`,
      measured: `${fixed(both, 2)} µs ÷ ${fixed(base, 2)} µs = ${(both / base).toFixed(2)}×`,
      pass: both / base <= CLUSTER.cpuRatioGoal,
    },
    {
      figure: `p99 latency, ${labelOf('cluster')}`,
      target: `< ${CLUSTER.p99GoalMs} ms`,
      measured: `${ms(cluster.step.p99Ms)} ms (${labelOf('memory')}: ${ms(memory.step.p99Ms)} ms)`,
      pass: cluster.step.p99Ms < CLUSTER.p99GoalMs,
    },
    delivery,
    {
      figure: `Redis CPU per message published, ${labelOf('cluster')} / ${labelOf('redis')}`,
      target: 'reported',
      measured: redisFigures.join(' / '),
      pass: undefined,
    },
  ];
};

export const clusterTargetTable = (result: ClusterResult): string =>
  [
    '| figure | target | measured | result |',
    '| --- | --- | --- | --- |',
    ...clusterChecks(result).map(
      (check) =>
        `| ${check.figure} | ${check.target} | ${check.measured} | ${check.pass === undefined ? '—' : `**${check.pass ? 'PASS' : 'FAIL'}**`} |`,
    ),
  ].join('\n');

/** What the report says about the rounds: the machine's load, each run's figures, noise. */
export const clusterNotes = (result: ClusterResult): string[] => {
  const notes = [
    `Cluster scenario at scale ${result.scale} of the rooms scenario; load average ${result.loadBefore.map((load) => load.toFixed(2)).join(', ')} (1, 5, 15 min) as it began.`,
  ];
  for (const setup of CLUSTER_SETUPS) {
    const runs = result.runs.filter((run) => run.setup === setup.id);
    if (runs.length === 0) continue;
    const figures = runs.map(
      (run) =>
        `${fixed(run.step.serverCpuUsPerDelivery, 2)} µs, p99 ${ms(run.step.p99Ms)} ms, other CPU ${run.step.otherCpuPercent.toFixed(0)}%`,
    );
    notes.push(
      `Cluster, ${setup.label}: ${figures.join('; ')} per delivery over ${runs.length} rounds; the median is reported.`,
    );
  }
  const noisy = result.runs.filter((run) => run.step.otherCpuPercent > NOISE.otherCpuPercent);
  if (noisy.length > 0) {
    notes.push(
      `Other CPU above ${NOISE.otherCpuPercent}% of a core (noisy measurement) in cluster: ${noisy.map((run) => `${labelOf(run.setup)}, round ${run.round}`).join('; ')}.`,
    );
  }
  const saturated = result.runs.filter((run) => run.step.saturated !== undefined);
  if (saturated.length > 0) {
    notes.push(
      `Generator saturated in cluster: ${saturated.map((run) => `${labelOf(run.setup)}, round ${run.round} (${run.step.saturated})`).join('; ')}.`,
    );
  }
  for (const failure of result.failures) notes.push(`Cluster scenario: ${failure}.`);
  return notes;
};
