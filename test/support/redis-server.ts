import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import test, { type ExecutionContext } from 'ava';
import { freePort } from './free-port.ts';

export const REDIS_SERVER_PATH = '/usr/bin/redis-server';

/** On CI the Redis tests always run, so a missing redis-server fails them instead of skipping. */
export const redisMissing = process.env.CI !== 'true' && !existsSync(REDIS_SERVER_PATH);

/**
 * Declares a test that needs `redis-server`. Where it is missing (and not on CI) the test is
 * declared as skipped, with the reason in its title.
 */
export const redisTest = (
  title: string,
  implementation: (t: ExecutionContext) => Promise<void>,
): void => {
  if (redisMissing) {
    test.skip(`${title} (skipped: redis-server not found at ${REDIS_SERVER_PATH})`, () => {});
    return;
  }
  test(title, implementation);
};

/** Serial variant of `redisTest`, for tests that start several processes. */
export const redisTestSerial = (
  title: string,
  implementation: (t: ExecutionContext) => Promise<void>,
) => {
  if (redisMissing) {
    test.serial.skip(
      `${title} (skipped: redis-server not found at ${REDIS_SERVER_PATH})`,
      () => {},
    );
    return;
  }
  test.serial(title, implementation);
};

export type PrivateRedis = Readonly<{
  port: number;
  /** redis://127.0.0.1:PORT */
  url: string;
  /** SIGKILLs the server (its data is gone: it keeps none on disk). */
  kill: () => Promise<void>;
  /** Starts it again on the same port, empty. */
  restart: () => Promise<void>;
  /** Stops it for good. */
  stop: () => Promise<void>;
}>;

const READY_LINE = /Ready to accept connections/;
const START_TIMEOUT_MS = 10_000;

/**
 * Starts `redis-server` on `port` (127.0.0.1, nothing kept on disk), with `extra` arguments;
 * resolves once it accepts connections.
 */
export const launchRedis = (port: number, extra: readonly string[] = []): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      REDIS_SERVER_PATH,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start on ${port}: ${output}`));
    }, START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (READY_LINE.test(output)) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve(child);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code} before it was ready: ${output}`));
    });
  });

/** Sends `signal` to `child`; resolves once it has exited. */
export const ended = (child: ChildProcess, signal: NodeJS.Signals): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });

/** Starts a private `redis-server` on a free port, keeping nothing on disk. */
export const startRedis = async (): Promise<PrivateRedis> => {
  const port = await freePort();
  let child = await launchRedis(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => ended(child, 'SIGKILL'),
    restart: async () => {
      await ended(child, 'SIGKILL');
      child = await launchRedis(port);
    },
    stop: () => ended(child, 'SIGTERM'),
  };
};
