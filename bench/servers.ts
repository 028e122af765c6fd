// Starts a server under test as a child process, pinned to one CPU where taskset exists, and
// stops it. The port is read from the ready line the server prints on stdout.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { waitUntilQuiet } from './proc-stats.ts';

export type ServerKind = 'hubbub' | 'baseline';

export type RunningServer = {
  kind: ServerKind;
  pid: number;
  port: number;
  /** `performance.now()` just before the process was spawned. */
  spawnedAt: number;
  command: string;
  stop: () => Promise<void>;
  /** The last few KB the server wrote on stderr (its log). */
  stderr: () => string;
};

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where Hubbub is started from: this checkout, or another one (BENCH_HUBBUB_DIR) to compare. */
export const HUBBUB_DIR = process.env.BENCH_HUBBUB_DIR || ROOT;
const READY_MS = 20_000;
const STOP_MS = 6_000;
const STDERR_KEPT = 4_096;

/** Both servers: SIGUSR2 collects garbage, for the idle-memory readings (see gc-on-signal.mjs). */
const GC_ON_SIGNAL = [
  '--expose-gc',
  `--import=${new URL('gc-on-signal.mjs', import.meta.url).href}`,
];

/** BENCH_CPU_PROF=DIR: every Hubbub writes a CPU profile (`--cpu-prof`) into DIR as it stops. */
const PROFILE = process.env.BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
  : [];

/**
 * Every client of the benchmark comes from 127.0.0.1 and the senders of scenario A send 400
 * messages a second each: the per-address cap is lifted and the rate limits raised (not
 * removed, so their cost is measured). Environment variables, which older checkouts ignore.
 */
const HUBBUB_ENV = {
  HUBBUB_MAX_CONNECTIONS: '0',
  HUBBUB_MAX_CONNECTIONS_PER_IP: '0',
  HUBBUB_RATE_LIMIT: '2000',
  HUBBUB_RATE_LIMIT_BURST: '2000',
  HUBBUB_RATE_LIMIT_PER_IP: '100000',
  // The metrics listener (when the server has one) on a free port: 9464 may be taken.
  HUBBUB_METRICS_PORT: '0',
};

/**
 * Hubbub as `npm start` runs it, compiled (`npm run bench` builds dist/ first); from a checkout
 * that has no dist/, such as an older one, through tsx as it was started then.
 */
const HUBBUB_ENTRY = existsSync(join(HUBBUB_DIR, 'dist', 'main.js'))
  ? ['dist/main.js']
  : ['--import=tsx', 'src/main.ts'];

const COMMANDS: Record<
  ServerKind,
  { cwd: string; args: string[]; ready: RegExp; env?: Record<string, string> }
> = {
  hubbub: {
    cwd: HUBBUB_DIR,
    args: [...HUBBUB_ENTRY, '--host', '127.0.0.1', '--port', '0'],
    ready: /Hubbub listening on http:\/\/[^\s]+:(\d+)/,
    env: HUBBUB_ENV,
  },
  baseline: {
    cwd: ROOT,
    args: ['bench/baseline-server.mjs', '--host', '127.0.0.1', '--port', '0'],
    ready: /baseline listening on [^\s]+:(\d+)/,
  },
};

export type Placement = { cpu: number | undefined; fileLimit: number };

/** What a command is prefixed with to run on the servers' CPU (nothing when not pinned). */
export const pinnedTo = (placement: Placement): string[] =>
  placement.cpu === undefined ? [] : ['taskset', '-c', String(placement.cpu)];

/**
 * Starts a server and resolves once it printed its port. `bare` leaves out the GC preload, to
 * start it exactly as users do (for the start-up figures); `flags` are added to its command.
 */
export const startServer = async (
  kind: ServerKind,
  placement: Placement,
  { bare = false, flags = [] }: { bare?: boolean; flags?: readonly string[] } = {},
): Promise<RunningServer> => {
  const { cwd, args, ready, env } = COMMANDS[kind];
  const pin = pinnedTo(placement);
  const profile = kind === 'hubbub' ? PROFILE : [];
  const node = [process.execPath, ...(bare ? [] : GC_ON_SIGNAL), ...profile];
  const command = [...pin, ...node, ...args, ...flags];
  const spawnedAt = performance.now();
  // sh raises the open-file limit as far as allowed, then becomes the server (same PID).
  const child = spawn(
    'sh',
    [
      '-c',
      'ulimit -n "$1" 2>/dev/null; shift; exec "$@"',
      'sh',
      String(placement.fileLimit),
      ...command,
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
  });
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`${kind} not ready in ${READY_MS} ms`)),
      READY_MS,
    );
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const match = ready.exec(stdout);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited with ${code} before it was ready: ${stderr.trim()}`));
    });
  });
  return {
    kind,
    pid: child.pid as number,
    port,
    spawnedAt,
    command: command.slice(pin.length).join(' ').replace(process.execPath, 'node'),
    stop: () => stopChild(child),
    stderr: () => stderr,
  };
};

/** SIGTERM, and SIGKILL if the process is still there after a few seconds. */
export const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });

/**
 * Starts a server, waits until its start-up work is over, hands it to `use` and stops it,
 * whatever `use` did.
 */
export const withServer = async <T>(
  kind: ServerKind,
  placement: Placement,
  progress: (line: string) => void,
  use: (server: RunningServer) => Promise<T>,
  flags: readonly string[] = [],
): Promise<T> => {
  const server = await startServer(kind, placement, { flags });
  try {
    const settledMs = await waitUntilQuiet(server.pid, 5_000);
    progress(
      `${kind} started (PID ${server.pid}, port ${server.port}), quiet after ${settledMs} ms`,
    );
    return await use(server);
  } finally {
    await server.stop();
  }
};
