import { Socket } from 'node:net';
import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { connectTcpRegistered } from '../support/tcp-client.ts';

/** Records every setKeepAlive call in this process while `run` runs. */
const keepAliveCalls = async (run: () => Promise<void>): Promise<unknown[][]> => {
  const calls: unknown[][] = [];
  const original = Socket.prototype.setKeepAlive;
  Socket.prototype.setKeepAlive = function (this: Socket, ...args: unknown[]) {
    calls.push(args);
    return original.apply(this, args as Parameters<typeof original>);
  };
  try {
    await run();
  } finally {
    Socket.prototype.setKeepAlive = original;
  }
  return calls;
};

for (const [pingIntervalMs, expected] of [
  [54_000, 54_000],
  // Node rounds the delay down to whole seconds, and the kernel refuses 0 (then 2 h applies).
  [300, 1_000],
] as const) {
  test.serial(
    `a TCP client gets keepalive probes after ${expected} ms of quiet (--ping-interval-ms ${pingIntervalMs})`,
    async (t) => {
      const server = await startServer({ tcpPort: 0, pingIntervalMs, pongTimeoutMs: 60_000 });
      t.teardown(() => server.stop());
      const calls = await keepAliveCalls(async () => {
        const client = await connectTcpRegistered(server);
        await client.leave();
      });
      t.deepEqual(calls, [[true, expected]]);
    },
  );
}
