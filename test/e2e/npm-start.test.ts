import test from 'ava';
import { connect, waitUntil, within } from '../adapters/support/ws-client.ts';
import { type HubbubProcess, post, runNpmStart } from './support/hubbub-process.ts';

// `npm start` is what users run. npm forwards every SIGINT and SIGTERM it gets to the server,
// so a signal to the whole process group (Ctrl-C) reaches the server twice: once from the
// terminal, once from npm. Whatever the path, the server stops gracefully and both exit 0.

const LISTENING_LINE = /^Hubbub listening on http:\/\/127\.0\.0\.1:(\d+)$/m;
const PENDING = 'sent just before the signal';

const logged = (npm: HubbubProcess, msg: RegExp): boolean =>
  npm.logLines.some((line) => typeof line.msg === 'string' && msg.test(line.msg));

const waitForLog = (npm: HubbubProcess, msg: RegExp): Promise<true> =>
  waitUntil(
    () => logged(npm, msg),
    () => `the log line ${msg} (stderr: ${npm.stderr})`,
  );

type Case = Readonly<{
  name: string;
  /** Sends the signal(s); may wait for what it needs to see first. */
  signal: (npm: HubbubProcess, group: number) => Promise<void>;
  /** A client that never answers the close, so that the stop is still under way a while. */
  holdsTheStop?: boolean;
}>;

const CASES: readonly Case[] = [
  { name: 'SIGTERM to npm', signal: async (npm) => void npm.child.kill('SIGTERM') },
  { name: 'SIGINT to npm', signal: async (npm) => void npm.child.kill('SIGINT') },
  {
    name: 'SIGTERM to npm twice',
    holdsTheStop: true,
    signal: async (npm) => {
      npm.child.kill('SIGTERM');
      await waitForLog(npm, /^SIGTERM received, closing every connection$/);
      npm.child.kill('SIGTERM');
      await waitForLog(npm, /^SIGTERM received, the stop is already under way$/);
    },
  },
  {
    name: 'SIGINT to the process group (Ctrl-C)',
    signal: async (_, group) => {
      process.kill(-group, 'SIGINT');
    },
  },
  {
    name: 'SIGTERM to the process group',
    signal: async (_, group) => {
      process.kill(-group, 'SIGTERM');
    },
  },
];

for (const { name, signal, holdsTheStop } of CASES) {
  test.serial(
    `npm start, ${name}: pending broadcasts, then 1001, "hubbub stopped", exit 0`,
    async (t) => {
      // Broadcasts wait up to a second to go out, so the one below is still pending in the
      // server when the signal arrives: the stop must write it before the close frame.
      const npm = runNpmStart(['--host', '127.0.0.1', '--port', '0', '--batch-window-ms', '1000']);
      t.teardown(() => npm.killGroup());
      const port = await waitUntil(
        () => {
          const match = LISTENING_LINE.exec(npm.stdout);
          if (npm.hasExited) throw new Error(`npm start exited: ${npm.stderr}`);
          return match === null ? undefined : Number(match[1]);
        },
        'the listening line from npm start',
        20_000,
      );
      const client = await connect(`ws://127.0.0.1:${port}/ws`);
      if (holdsTheStop === true) {
        const deaf = await connect(`ws://127.0.0.1:${port}/ws`);
        deaf.socket.pause();
        t.teardown(() => deaf.socket.destroy());
      }
      t.is(await post(port, '/send', PENDING), 204, 'the hub took the message');

      await signal(npm, npm.child.pid as number);

      t.deepEqual(await within(client.closed, 'the 1001 close'), {
        code: 1001,
        reason: 'server shutting down',
      });
      t.deepEqual(client.messages, [PENDING], 'the pending broadcast came before the close');
      t.deepEqual(await npm.waitForExit(), { code: 0, signal: null });
      t.true(logged(npm, /^hubbub stopped$/), npm.stderr);
    },
  );
}
