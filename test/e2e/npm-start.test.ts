import { spawn } from 'node:child_process';
import test from 'ava';
import { connect, waitUntil, within } from '../adapters/support/ws-client.ts';
import { HubbubProcess, ROOT } from './support/hubbub-process.ts';

const LISTENING_LINE = /^Hubbub listening on http:\/\/127\.0\.0\.1:(\d+)$/m;

// `npm start` is what users run: the signal reaches npm, and must reach the server through it.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test.serial(`npm start: ${signal} to npm closes clients with 1001 and exits 0`, async (t) => {
    const hubbub = new HubbubProcess(
      spawn('npm', ['start', '--silent', '--', '--host', '127.0.0.1', '--port', '0'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // its own process group, so teardown can reach every process under npm
      }),
    );
    t.teardown(() => {
      const group = hubbub.child.pid;
      if (group === undefined) return;
      try {
        process.kill(-group, 'SIGKILL');
      } catch {} // already gone
    });
    const port = await waitUntil(
      () => {
        const match = LISTENING_LINE.exec(hubbub.stdout);
        if (hubbub.hasExited) throw new Error(`npm start exited: ${hubbub.stderr}`);
        return match === null ? undefined : Number(match[1]);
      },
      'the listening line from npm start',
      20_000,
    );
    const client = await connect(`ws://127.0.0.1:${port}/ws`);
    hubbub.child.kill(signal);
    t.deepEqual(await within(client.closed, 'the 1001 close'), {
      code: 1001,
      reason: 'server shutting down',
    });
    t.like(await hubbub.waitForExit(), { code: 0 });
  });
}
