// Runs the core micro-benchmark (bench/core.ts, `npm run bench:core`) as a child process on the
// server's CPU and reads its table, for the target check.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CoreResult } from './results.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const number = (text: string | undefined): number => Number((text ?? '').replace(/,/g, ''));

export const runCoreBenchmark = (cpu: number | undefined): Promise<CoreResult[]> => {
  const node = [process.execPath, '--import=tsx', 'bench/core.ts'];
  const [file, ...args] = cpu === undefined ? node : ['taskset', '-c', String(cpu), ...node];
  return new Promise((resolve, reject) => {
    execFile(file as string, args, { cwd: ROOT, timeout: 90_000 }, (error, stdout) => {
      if (error !== null) {
        reject(error);
        return;
      }
      const rows = stdout
        .split('\n')
        .map((line) => line.split('|').map((cell) => cell.trim()))
        .filter((cells) => /^[\d,]+$/.test(cells[1] ?? ''))
        .map((cells) => ({
          connections: number(cells[1]),
          chatRoomEventsPerSecond: number(cells[2]),
          acknowledgementsPerSecond: number(cells[3]),
        }));
      if (rows.length === 0) reject(new Error(`no table in bench/core.ts output: ${stdout}`));
      else resolve(rows);
    });
  });
};
