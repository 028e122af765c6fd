// CPU time and memory of a process from /proc, and facts about this machine.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, release } from 'node:os';

const run = (file: string, args: readonly string[]): string | undefined => {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
};

/** Clock ticks per second, the unit of utime and stime in /proc/PID/stat. */
export const CLOCK_TICKS = Number(run('getconf', ['CLK_TCK'])?.trim()) || 100;

/** User plus system CPU time of a process (all its threads), in microseconds. */
export const cpuMicros = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1_000_000) / CLOCK_TICKS;
};

/** Resident set size of a process in KB (VmRSS from /proc/PID/status). */
export const rssKb = (pid: number): number => {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
  if (match === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
};

export const hasTaskset = (): boolean => run('sh', ['-c', 'command -v taskset']) !== undefined;

/** Pins every thread of this process to one CPU; false if taskset failed or is missing. */
export const pinSelf = (cpu: number): boolean =>
  run('taskset', ['-a', '-cp', String(cpu), String(process.pid)]) !== undefined;

/** The soft and hard limits on open files of this process. */
export const fileLimits = (): { soft: number; hard: number } => {
  const line = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
  const parse = (value: string | undefined): number =>
    value === 'unlimited' ? Number.POSITIVE_INFINITY : Number(value);
  return { soft: parse(line?.[1]), hard: parse(line?.[2]) };
};

export type Machine = { cpus: number; model: string; node: string; kernel: string };

export const machine = (): Machine => {
  const info = readFileSync('/proc/cpuinfo', 'latin1');
  const model = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpus()[0]?.model ?? '?';
  return { cpus: cpus().length, model, node: process.version, kernel: release() };
};

/** CPU time spent busy by the whole machine, all CPUs summed, in microseconds (/proc/stat). */
export const machineBusyMicros = (): number => {
  const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal ...
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  const busy = [user, nice, system, irq, softirq, steal].reduce<number>((a, b) => a + (b ?? 0), 0);
  return (busy * 1_000_000) / CLOCK_TICKS;
};

/** CPU time of every process on the machine, by PID, with its command name. */
export const processTimes = (): Map<number, { name: string; us: number }> => {
  const times = new Map<number, { name: string; us: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const us = ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS;
      times.set(Number(entry), { name, us });
    } catch {
      // The process ended while we looked.
    }
  }
  return times;
};

/** The process (other than `exclude`) that used the most CPU between two readings. */
export const busiestOther = (
  before: Map<number, { name: string; us: number }>,
  after: Map<number, { name: string; us: number }>,
  exclude: readonly number[],
): { pid: number; name: string; us: number } | undefined => {
  let top: { pid: number; name: string; us: number } | undefined;
  for (const [pid, { name, us }] of after) {
    if (exclude.includes(pid)) continue;
    const used = us - (before.get(pid)?.us ?? 0);
    if (used > 0 && (top === undefined || used > top.us)) top = { pid, name, us: used };
  }
  return top;
};

/**
 * Waits until a process is quiet (under 5% of a core over two 250 ms readings in a row), at
 * most `limitMs`: a server just started still compiles and collects its start-up garbage.
 */
export const waitUntilQuiet = async (pid: number, limitMs: number): Promise<number> => {
  const started = Date.now();
  let quiet = 0;
  let last = cpuMicros(pid);
  while (quiet < 2 && Date.now() - started < limitMs) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = cpuMicros(pid);
    quiet = now - last < 250_000 * 0.05 ? quiet + 1 : 0;
    last = now;
  }
  return Date.now() - started;
};
