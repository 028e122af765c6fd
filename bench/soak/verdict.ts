// Pass or fail: each check with what it saw. A check without the figures it needs (memory in
// a run without readings) is skipped, not passed. A warning is reported but fails nothing.
import { heapMarginBytes, rssMarginKb } from './memory.ts';
import type { SoakResult } from './soak.ts';

export type Check = { name: string; ok: boolean | undefined; detail: string; warning?: true };

const mib = (kb: number): string => `${(kb / 1024).toFixed(1)} MiB`;

export type MemoryDelta = {
  rssKb: number;
  rssMarginKb: number;
  heap: { bytes: number; marginBytes: number } | undefined;
  fds: { afterWarmUp: number; end: number };
};

/** The end reading against the one after warm-up, both at rest after a forced GC. */
export const memoryDelta = (result: Pick<SoakResult, 'readings'>): MemoryDelta | undefined => {
  const warm = result.readings.find((reading) => reading.label === 'after warm-up');
  const end = result.readings.find((reading) => reading.label === 'end');
  if (warm === undefined || end === undefined) return undefined;
  const heap =
    warm.heapUsedBytes === undefined || end.heapUsedBytes === undefined
      ? undefined
      : {
          bytes: end.heapUsedBytes - warm.heapUsedBytes,
          marginBytes: heapMarginBytes(warm.heapUsedBytes),
        };
  return {
    rssKb: end.rssKb - warm.rssKb,
    rssMarginKb: rssMarginKb(warm.rssKb),
    heap,
    fds: { afterWarmUp: warm.fds, end: end.fds },
  };
};

export const checksOf = (result: SoakResult): Check[] => {
  const { tally, windows, rest, exit } = result;
  const checks: Check[] = [];
  const check = (name: string, ok: boolean | undefined, detail: string): void => {
    checks.push({ name, ok, detail });
  };
  check(
    'the server stayed up',
    result.crashed === undefined,
    result.crashed ?? 'no exit before SIGTERM',
  );
  check(
    'the server exited 0 on SIGTERM',
    exit.code === 0,
    `exit code ${exit.code ?? `none (signal ${exit.signal})`}`,
  );
  const opened = rest?.metrics?.sum('hubbub_connections_opened_total');
  const closed = rest?.metrics?.sum('hubbub_connections_closed_total');
  const counted = rest?.metrics?.sum('hubbub_connections');
  const balanced = opened === undefined || closed === undefined || opened === closed;
  const states = [...(rest?.held.values() ?? [])].join(', ');
  check(
    'the server let go of every connection',
    rest?.reached === true && balanced,
    rest === undefined
      ? 'not measured (the run stopped early)'
      : `${rest.held.size} client connections held by the server process (/proc)${states ? `: ${states}` : ''}` +
          (counted === undefined
            ? '; no /metrics'
            : `; hubbub_connections ${counted}, opened ${opened} - closed ${closed}`),
  );
  check(
    'every client connection ended (client side)',
    tally.open === 0 && result.stragglers === 0,
    `${tally.open} still open, ${result.stragglers} clients past the drain deadline`,
  );
  const lost = [...windows.lost, ...windows.unseen];
  check(
    'no chat client lost a message',
    windows.checked > 0 && lost.length === 0 && result.auditorComplete,
    `${windows.checked} windows checked against the auditor` +
      (result.auditorComplete ? '' : '; the auditor did not see the whole run') +
      (lost.length > 0 ? `; ${lost.length} failed: ${lost.slice(0, 3).join('; ')}` : ''),
  );
  check(
    'every client ended as expected',
    tally.problemCount === 0,
    tally.problemCount === 0
      ? 'no problem seen by any client'
      : `${tally.problemCount} problems: ${tally.problems.slice(0, 3).join('; ')}`,
  );
  const memory = memoryDelta(result);
  const signed = (kb: number): string => `${kb >= 0 ? '+' : ''}${mib(kb)}`;
  check(
    'RSS at the end within the margin of after warm-up',
    memory === undefined ? undefined : memory.rssKb <= memory.rssMarginKb,
    memory === undefined
      ? 'not measured'
      : `end - after warm-up = ${signed(memory.rssKb)}, margin ${mib(memory.rssMarginKb)}`,
  );
  check(
    'heap in use at the end within the margin of after warm-up',
    memory?.heap === undefined ? undefined : memory.heap.bytes <= memory.heap.marginBytes,
    memory?.heap === undefined
      ? 'not measured (no /metrics or no readings)'
      : `end - after warm-up = ${signed(memory.heap.bytes / 1024)}, margin ${mib(memory.heap.marginBytes / 1024)}`,
  );
  check(
    'no descriptor left open',
    memory === undefined ? undefined : memory.fds.end <= memory.fds.afterWarmUp,
    memory === undefined
      ? 'not measured'
      : `${memory.fds.end} open at the end, ${memory.fds.afterWarmUp} after warm-up (with the auditor connected)`,
  );
  check(
    'a fresh client can still chat',
    result.finalClientOk,
    result.finalClientOk ? 'its messages came back' : 'it could not chat',
  );
  const errors = result.server.log.errors;
  checks.push({
    name: 'the server logged no errors',
    ok: errors.length === 0,
    detail: errors.length === 0 ? 'none' : `${errors.length}: ${errors[0]}`,
    warning: true,
  });
  return checks;
};

export const passed = (checks: readonly Check[]): boolean =>
  checks.every((c) => c.ok !== false || c.warning === true);

export const verdictWord = (c: Check): string =>
  c.ok === undefined ? 'SKIP' : c.ok ? 'PASS' : c.warning ? 'WARN' : 'FAIL';
