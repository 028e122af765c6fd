// The start-up table of a run, with the check of issue 10's goals for it.
import { thousands } from './format.ts';
import type { BenchRun } from './results.ts';

/** Issue 10: resident memory within 1.3 × the baseline's, first answer within 1 s. */
export const STARTUP_GOALS = { rssRatio: 1.3, firstAnswerMs: 1_000 } as const;

const mb = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;
const pass = (ok: boolean): string => (ok ? '**PASS**' : '**FAIL**');

export const startupTable = (run: BenchRun): string => {
  const [base, hub] = (['baseline', 'hubbub'] as const).map((server) =>
    run.startup.find((result) => result.server === server),
  );
  if (base === undefined || hub === undefined) return 'not run (`--only` without `startup`)';
  const rssRatio = hub.rssKb / base.rssKb;
  const timeRatio = hub.firstAnswerMs / base.firstAnswerMs;
  return [
    '| server | first answer (spawn → `GET /healthz` 200) | RSS then |',
    '| --- | --- | --- |',
    `| baseline | ${thousands(base.firstAnswerMs)} ms | ${mb(base.rssKb)} |`,
    `| hubbub | ${thousands(hub.firstAnswerMs)} ms (${timeRatio.toFixed(2)}×) | ${mb(hub.rssKb)} (${rssRatio.toFixed(2)}×) |`,
    '',
    '| goal (issue 10) | measured | result |',
    '| --- | --- | --- |',
    `| RSS at the first answer ≤ ${STARTUP_GOALS.rssRatio} × baseline | ${mb(hub.rssKb)} ÷ ${mb(base.rssKb)} = ${rssRatio.toFixed(2)}× | ${pass(rssRatio <= STARTUP_GOALS.rssRatio)} |`,
    `| first answer ≤ ${thousands(STARTUP_GOALS.firstAnswerMs)} ms | ${thousands(hub.firstAnswerMs)} ms | ${pass(hub.firstAnswerMs <= STARTUP_GOALS.firstAnswerMs)} |`,
  ].join('\n');
};
