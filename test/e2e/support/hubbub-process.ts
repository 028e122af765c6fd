import { type ChildProcess, spawn } from 'node:child_process';
import { get, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { SAFETY_MS, waitUntil, within } from '../../adapters/support/ws-client.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type Exit = Readonly<{ code: number | null; signal: NodeJS.Signals | null }>;

/**
 * The shipped entry point, `dist/main.js` (built from src/ by `npm test` or `npm run build`
 * first), or `npm start` in front of it, running as a child process.
 */
export class HubbubProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  #exit: Exit | undefined;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    child.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
  }

  get hasExited(): boolean {
    return this.#exit !== undefined;
  }

  /** Lines printed on stdout so far. */
  get stdoutLines(): string[] {
    return this.stdout.split('\n').filter((line) => line !== '');
  }

  /** The JSON log lines written on stderr so far, parsed; other lines are left out. */
  get logLines(): Array<Record<string, unknown>> {
    return this.stderr.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** Waits for the process to end by itself and returns how it ended. */
  waitForExit(timeoutMs = SAFETY_MS): Promise<Exit> {
    return within(this.exited, 'the hubbub process to exit', timeoutMs);
  }

  /** Kills this child (only this one) if it is still running. */
  kill(): void {
    if (!this.hasExited) this.child.kill('SIGKILL');
  }

  /** Kills the child's whole process group, for a child started as a group leader (npm). */
  killGroup(): void {
    const group = this.child.pid;
    if (group === undefined) return;
    try {
      process.kill(-group, 'SIGKILL');
    } catch {} // already gone
  }
}

/**
 * The parent's environment without any Hubbub setting, plus `env`. The metrics listener takes a
 * free port (`HUBBUB_METRICS_PORT=0`) unless `env` or a flag says otherwise: tests run several
 * servers at once, and the default, 9464, would collide.
 */
const childEnv = (env: Readonly<Record<string, string>>): NodeJS.ProcessEnv => {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('HUBBUB_') && key !== 'PORT'),
  );
  return { ...clean, HUBBUB_METRICS_PORT: '0', ...env };
};

/** Runs `node [...nodeArgs] dist/main.js ...args` from the repository root. */
export const runHubbub = (
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  nodeArgs: readonly string[] = [],
): HubbubProcess =>
  new HubbubProcess(
    spawn(process.execPath, [...nodeArgs, 'dist/main.js', ...args], {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );

export const LISTENING = /^Hubbub listening on http:\/\/127\.0\.0\.1:(\d+)\n/;
/** The line the entry point prints when the metrics listener is on. */
export const METRICS_LINE = /^Hubbub metrics on (http:\/\/127\.0\.0\.1:(\d+)\/metrics)$/m;

/**
 * Runs `npm start --silent -- ...args` as users do, as the leader of a process group of its
 * own (npm and the server under it), so a test can signal the whole group as Ctrl-C does.
 */
export const runNpmStart = (args: readonly string[]): HubbubProcess =>
  new HubbubProcess(
    spawn('npm', ['start', '--silent', '--', ...args], {
      cwd: ROOT,
      env: childEnv({}),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    }),
  );

/**
 * Starts the entry point on 127.0.0.1 with ephemeral ports (the chat's and the metrics
 * listener's) and resolves with the process, the port it printed and the metrics URL it
 * printed (`undefined` with `--metrics-port off`), once it listens.
 */
export const startHubbub = async (
  args: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<{ hubbub: HubbubProcess; port: number; metricsUrl: string | undefined }> => {
  const hubbub = runHubbub(
    ['--host', '127.0.0.1', '--port', '0', '--metrics-port', '0', ...args],
    env,
  );
  const port = await waitUntil(
    () => {
      const match = LISTENING.exec(hubbub.stdout);
      if (match !== null) return Number(match[1]);
      if (hubbub.hasExited) throw new Error(`hubbub exited before listening: ${hubbub.stderr}`);
      return undefined;
    },
    () => `the listening line (stdout ${JSON.stringify(hubbub.stdout)})`,
    // Start-up can be slow on a loaded machine.
    15_000,
  );
  // One request served means the server is up for real, not just printing.
  await within(answers(port), 'the first request to be served', 15_000);
  // Printed in the same turn as the listening line, before any request was served.
  const metricsUrl = METRICS_LINE.exec(hubbub.stdout)?.[1];
  return { hubbub, port, metricsUrl };
};

/** One GET of `path` (`/`) on a connection of its own, closed afterwards; resolves with the status. */
export const answers = (port: number, path = '/'): Promise<number> =>
  new Promise((resolve, reject) => {
    const request = get(
      { host: '127.0.0.1', port, path, agent: false, headers: { connection: 'close' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
  });

/** One POST with a text body on a connection of its own; resolves with the status. */
export const post = (port: number, path: string, body: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: { connection: 'close', 'content-type': 'text/plain' },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
