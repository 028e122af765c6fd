import { connect as netConnect, type Socket } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import { connect, sleep, within } from '../adapters/support/ws-client.ts';
import { answers, LISTENING, runHubbub, startHubbub } from './support/hubbub-process.ts';

/** A plain TCP connection to the server, destroyed when the test ends. */
const openSocket = async (t: ExecutionContext, port: number): Promise<Socket> => {
  const socket = netConnect(port, '127.0.0.1');
  socket.on('error', () => {});
  t.teardown(() => socket.destroy());
  await within(
    new Promise((resolve) => socket.once('connect', resolve)),
    'the TCP connection to open',
  );
  return socket;
};

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test.serial(`${signal} closes every client with 1001 and exits 0`, async (t) => {
    const { hubbub, port, metricsUrl } = await startHubbub();
    t.teardown(() => hubbub.kill());
    const url = `ws://127.0.0.1:${port}/ws`;
    const a = await connect(url);
    const b = await connect(url);
    a.send('hello before shutdown');
    await b.waitForMessages(1);

    hubbub.child.kill(signal);

    for (const client of [a, b]) {
      t.deepEqual(await client.waitForClose(), { code: 1001, reason: 'server shutting down' });
    }
    t.deepEqual(await hubbub.waitForExit(), { code: 0, signal: null });
    t.deepEqual(hubbub.stdoutLines, [
      `Hubbub listening on http://127.0.0.1:${port}`,
      `Hubbub metrics on ${metricsUrl}`,
    ]);
    t.regex(hubbub.stderr, new RegExp(`${signal} received`));
    t.true(
      hubbub.logLines.some((line) => line.msg === 'hubbub stopped' && line.connectionsClosed === 2),
    );
  });
}

test.serial('SIGTERM with no clients exits 0, and the port is released', async (t) => {
  const { hubbub, port } = await startHubbub();
  t.teardown(() => hubbub.kill());
  hubbub.child.kill('SIGTERM');
  t.deepEqual(await hubbub.waitForExit(), { code: 0, signal: null });
  await t.throwsAsync(answers(port));
});

test.serial('SIGTERM exits 0 even when a client never answers the close', async (t) => {
  const { hubbub, port } = await startHubbub();
  t.teardown(() => hubbub.kill());
  const deaf = await connect(`ws://127.0.0.1:${port}/ws`);
  deaf.socket.pause(); // it will not read the close frame, so never answers it
  hubbub.child.kill('SIGTERM');
  // The server cuts it off after its grace period, then exits normally.
  t.deepEqual(await hubbub.waitForExit(), { code: 0, signal: null });
  deaf.socket.resume();
  const closed = await deaf.waitForClose();
  t.true([1001, 1006].includes(closed.code), `closed with ${closed.code}`);
});

test.serial('after SIGTERM no new connection is accepted', async (t) => {
  const { hubbub, port } = await startHubbub();
  t.teardown(() => hubbub.kill());
  const client = await connect(`ws://127.0.0.1:${port}/ws`);
  hubbub.child.kill('SIGTERM');
  await client.waitForClose();
  await hubbub.waitForExit();
  await t.throwsAsync(connect(`ws://127.0.0.1:${port}/ws`));
});

test.serial('SIGTERM while an HTTP request is in progress still exits 0', async (t) => {
  const { hubbub, port } = await startHubbub();
  t.teardown(() => hubbub.kill());
  const socket = await openSocket(t, port);
  socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`); // headers not finished yet
  await sleep(100);
  hubbub.child.kill('SIGTERM');
  await sleep(100);
  socket.write('\r\n');
  t.deepEqual(await hubbub.waitForExit(), { code: 0, signal: null });
});

// A browser's speculative preconnect: a socket that never sends a byte. Node counts it as busy,
// so it held the listener open past the shutdown limit (exit 1) until it was cut.
test.serial(
  'SIGTERM exits 0 in time even with a connection that never sent anything',
  async (t) => {
    const { hubbub, port } = await startHubbub();
    t.teardown(() => hubbub.kill());
    await openSocket(t, port); // connected, and silent
    hubbub.child.kill('SIGTERM');
    t.deepEqual(await hubbub.waitForExit(), { code: 0, signal: null });
  },
);

test.serial(
  'SIGTERM sent the moment the listening line is written is handled gracefully',
  async (t) => {
    const hubbub = runHubbub(['--host', '127.0.0.1', '--port', '0'], {}, [
      '--import=tsx',
      '--import=./test/e2e/support/sigterm-on-ready.ts',
    ]);
    t.teardown(() => hubbub.kill());
    const exit = await hubbub.waitForExit(15_000);
    t.regex(hubbub.stdout, LISTENING, 'it did start');
    t.deepEqual(exit, { code: 0, signal: null });
  },
);
