// One benchmark at a time on this machine: two runs at once would share the pinned cores and
// measure each other. A lock file holds the PID of the run in progress; a later run waits for
// it (bounded), and a lock whose process is gone is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCK = join(tmpdir(), 'hubbub-bench.lock');
const WAIT_MS = 10 * 60_000;

const holder = (): number | undefined => {
  try {
    const pid = Number(readFileSync(LOCK, 'utf8').trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
};

/** Takes the lock, waiting up to 10 minutes for another run; false if it never came free. */
export const acquireBenchLock = async (say: (line: string) => void): Promise<boolean> => {
  const deadline = Date.now() + WAIT_MS;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      process.once('exit', () => {
        if (holder() === process.pid) rmSync(LOCK, { force: true });
      });
      return true;
    } catch {
      const pid = holder();
      if (pid === undefined) {
        rmSync(LOCK, { force: true }); // stale: its run is gone
        continue;
      }
      if (Date.now() > deadline) return false;
      if (!told) say(`another benchmark run (PID ${pid}) holds ${LOCK}; waiting for it to end`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
};
