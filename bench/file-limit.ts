// Raises this process's soft limit on open files, which only a shell's `ulimit` can do from
// Node: the process is run again under a shell that raises it, once, if the hard limit allows.
import { spawnSync } from 'node:child_process';
import { fileLimits } from './proc-stats.ts';

/** Returns when the limit is high enough, or cannot be raised; otherwise exits with the rerun's status. */
export const reexecWithFileLimit = (needed: number): void => {
  const limits = fileLimits();
  if (limits.soft >= needed || limits.hard < needed || process.env.BENCH_REEXEC) return;
  const result = spawnSync(
    'sh',
    [
      '-c',
      `ulimit -n ${needed} && exec "$@"`,
      'sh',
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: 'inherit', env: { ...process.env, BENCH_REEXEC: '1' } },
  );
  process.exit(result.status ?? 1);
};
