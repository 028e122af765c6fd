// The rooms scenario in the report: the median run of each hub, the check of issue 12's goals,
// and notes on every round (noise, saturation, failures).
import { fixed, ms, thousands } from './format.ts';
import type { StepResult } from './load/measure.ts';
import type { RoomsMeasurement } from './load/rooms-step.ts';
import { stepCells, stepHeader } from './report.ts';
import type { RoomsResult, RoomsRun } from './results.ts';
import { CLEAN_P99_MS, NOISE, ROOMS_CPU_RATIO_GOAL } from './scenarios.ts';

type Hub = RoomsRun['hub'];
const HUBS: readonly Hub[] = ['wide', 'narrow'];

/** The run with the median server CPU per delivery (the upper one of an even count). */
export const medianByCpu = <T extends { step: StepResult }>(runs: readonly T[]): T | undefined =>
  runs.toSorted((a, b) => a.step.serverCpuUsPerDelivery - b.step.serverCpuUsPerDelivery)[
    Math.floor(runs.length / 2)
  ];

/** The run of `hub` with the median server CPU per delivery. */
export const medianRun = (runs: readonly RoomsRun[], hub: Hub): RoomsRun | undefined =>
  medianByCpu(runs.filter((run) => run.hub === hub));

export const hubLabel = (run: Pick<RoomsRun, 'shape' | 'rooms'>): string =>
  `${thousands(run.shape.connections)} connections in ${thousands(run.rooms)} rooms`;

/** Every message reached every member of its room once, in order, and nobody else. */
export const everyMemberServed = (run: RoomsMeasurement): boolean =>
  run.membersComplete === run.membersOwed && run.misrouted === 0 && run.disorder === 0;

export const membersCell = (run: RoomsMeasurement): string =>
  `${thousands(run.membersComplete)} of ${thousands(run.membersOwed)}` +
  (run.misrouted + run.disorder === 0
    ? ''
    : ` (${run.misrouted} misrouted, ${run.disorder} repeated or reordered)`);

export const roomsTable = (result: RoomsResult): string => {
  const header = [
    'hub',
    'active rooms',
    ...stepHeader('members with every message', '÷ active rooms alone'),
  ];
  const narrow = medianRun(result.runs, 'narrow');
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const run of HUBS.map((hub) => medianRun(result.runs, hub))) {
    if (run === undefined) continue;
    const { step } = run;
    const versus = narrow?.step.serverCpuUsPerDelivery;
    const ratio =
      versus === undefined ? '—' : `${(step.serverCpuUsPerDelivery / versus).toFixed(2)}×`;
    const cells = stepCells(step, membersCell(run), ratio);
    lines.push(`| ${[hubLabel(run), String(run.shape.activeRooms), ...cells].join(' | ')} |`);
  }
  return lines.join('\n');
};

export type RoomsCheck = { figure: string; target: string; measured: string; pass: boolean };

export const roomsChecks = (result: RoomsResult): RoomsCheck[] => {
  const [wide, narrow] = HUBS.map((hub) => medianRun(result.runs, hub));
  if (wide === undefined || narrow === undefined) {
    const measured = result.failures.join('; ') || 'not measured';
    return [{ figure: 'rooms scenario', target: 'both hubs measured', measured, pass: false }];
  }
  const cpuRatio = wide.step.serverCpuUsPerDelivery / narrow.step.serverCpuUsPerDelivery;
  const both = `${hubLabel(wide)} / ${hubLabel(narrow)}`;
  return [
    {
      figure: `server CPU per delivery, ${hubLabel(wide)} ÷ ${hubLabel(narrow)}`,
      target: `≤ ${ROOMS_CPU_RATIO_GOAL.toFixed(1)}×`,
      measured: `${fixed(wide.step.serverCpuUsPerDelivery, 2)} µs ÷ ${fixed(narrow.step.serverCpuUsPerDelivery, 2)} µs = ${cpuRatio.toFixed(2)}×`,
      pass: cpuRatio <= ROOMS_CPU_RATIO_GOAL,
    },
    {
      figure: `p99 latency, ${both}`,
      target: `< ${CLEAN_P99_MS} ms`,
      measured: `${ms(wide.step.p99Ms)} ms / ${ms(narrow.step.p99Ms)} ms`,
      pass: Math.max(wide.step.p99Ms, narrow.step.p99Ms) < CLEAN_P99_MS,
    },
    {
      figure: `every message delivered to every member of its room, ${both}`,
      target: 'every member of every active room, nobody else',
      measured: `${membersCell(wide)} / ${membersCell(narrow)} members`,
      pass: everyMemberServed(wide) && everyMemberServed(narrow),
    },
  ];
};

export const roomsTargetTable = (result: RoomsResult): string =>
  [
    '| figure | target | measured | result |',
    '| --- | --- | --- | --- |',
    ...roomsChecks(result).map(
      (check) =>
        `| ${check.figure} | ${check.target} | ${check.measured} | **${check.pass ? 'PASS' : 'FAIL'}** |`,
    ),
  ].join('\n');

/** What the report says about the rounds: each one's figure, noise, saturation, failures. */
export const roomsNotes = (result: RoomsResult): string[] => {
  const notes: string[] = [];
  if (result.scale !== 1) {
    notes.push(
      `Rooms scenario at scale ${result.scale} (BENCH_ROOMS_SCALE), not as issue 12 sets it.`,
    );
  }
  for (const hub of HUBS) {
    const runs = result.runs.filter((run) => run.hub === hub);
    const first = runs[0];
    if (first === undefined) continue;
    notes.push(
      `Rooms, ${hubLabel(first)}: ${runs.map((run) => fixed(run.step.serverCpuUsPerDelivery, 2)).join(', ')} µs per delivery over ${runs.length} rounds (each on a fresh server, the two hubs taking turns); the median is reported.`,
    );
  }
  const flagged = (pick: (run: RoomsRun) => string | undefined): string =>
    result.runs
      .flatMap((run) => {
        const why = pick(run);
        return why === undefined ? [] : [`${hubLabel(run)}, round ${run.round} (${why})`];
      })
      .join('; ');
  const noisy = flagged((run) =>
    run.step.otherCpuPercent > NOISE.otherCpuPercent
      ? `${run.step.otherCpuPercent.toFixed(0)}%`
      : undefined,
  );
  if (noisy !== '')
    notes.push(`Other CPU above 30% of a core (noisy measurement) in rooms: ${noisy}.`);
  const saturated = flagged((run) => run.step.saturated);
  if (saturated !== '') notes.push(`Generator saturated in rooms: ${saturated}.`);
  for (const failure of result.failures) notes.push(`Rooms scenario: ${failure}.`);
  return notes;
};
