import { type AddressInfo, createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import type { ExecutionContext } from 'ava';
import { scrape } from '../adapters/prometheus/scrape.ts';
import { connectTcp } from '../adapters/support/tcp-client.ts';
import { V2TestClient } from '../adapters/support/v2-client.ts';
import { waitUntil } from '../adapters/support/ws-client.ts';
import { redisTestSerial, startRedis } from '../support/redis-server.ts';
import { answers, type HubbubProcess, runHubbub, startHubbub } from './support/hubbub-process.ts';

/** The pids of the workers that said they listen, in order (restarted ones included). */
const listeningPids = (hubbub: HubbubProcess): number[] =>
  hubbub.logLines.filter((line) => line.msg === 'worker listening').map((line) => Number(line.pid));

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Kills every worker still running at the end of a test (the primary is killed apart). */
const killWorkersAfter = (t: ExecutionContext, hubbub: HubbubProcess): void =>
  t.teardown(() => {
    for (const pid of listeningPids(hubbub)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  });

/** Starts `--workers N` on a private Redis; resolves once every worker listens. */
const startWorkers = async (t: ExecutionContext, workers: string, more: string[] = []) => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const started = await startHubbub(['--workers', workers, '--redis-url', redis.url, ...more]);
  t.teardown(() => started.hubbub.kill());
  killWorkersAfter(t, started.hubbub);
  return started;
};

/** The worker that logged the opening of the connection from `localPort`. */
const workerServing = (hubbub: HubbubProcess, localPort: number): Promise<number> =>
  waitUntil(
    () =>
      hubbub.logLines.find(
        (line) => line.msg === 'connection opened' && line.remote === `127.0.0.1:${localPort}`,
      )?.worker as number | undefined,
    `the log line of the connection from port ${localPort}`,
  );

const localPortOf = (client: V2TestClient): number =>
  (client.ws as unknown as { _socket: { localPort: number } })._socket.localPort;

redisTestSerial(
  '--workers 2 serves one port from two processes: a message crosses them, metrics add up, SIGTERM drains both',
  async (t) => {
    const { hubbub, port, metricsUrl } = await startWorkers(t, '2');
    const pids = listeningPids(hubbub);
    t.is(new Set(pids).size, 2, 'two worker processes');
    t.false(pids.includes(hubbub.child.pid ?? 0), 'none of them the primary');
    t.deepEqual(hubbub.stdoutLines, [
      `Hubbub listening on http://127.0.0.1:${port}`,
      `Hubbub metrics on ${metricsUrl}`,
    ]);

    // The primary hands connections to the workers in turn: a few clients reach both.
    const clients: Array<{ client: V2TestClient; worker: number }> = [];
    t.teardown(() => {
      for (const { client } of clients) client.ws.terminate();
    });
    for (let tries = 0; tries < 8 && new Set(clients.map((c) => c.worker)).size < 2; tries++) {
      const client = await V2TestClient.open(`ws://127.0.0.1:${port}/ws`, `?name=c${tries}`);
      clients.push({ client, worker: await workerServing(hubbub, localPortOf(client)) });
    }
    const first = clients[0];
    const other = clients.find((c) => c.worker !== first?.worker);
    if (first === undefined || other === undefined) {
      t.fail(`every client landed on one worker: ${JSON.stringify(clients.map((c) => c.worker))}`);
      return;
    }
    await first.client.join('crossing');
    await other.client.join('crossing');
    first.client.command({
      type: 'send',
      room: 'crossing',
      text: 'to the other worker',
      id: 'a-1',
    });
    t.like(await other.client.next('message', 'crossing'), {
      text: 'to the other worker',
      from: 'c0',
    });
    other.client.command({ type: 'send', room: 'crossing', text: 'and back', id: 'b-1' });
    // Each worker hears the message from Redis on its own: wait for both.
    await first.client.next('message', 'crossing', 2);
    await other.client.next('message', 'crossing', 2);
    t.deepEqual(first.client.texts('crossing'), other.client.texts('crossing'));
    t.deepEqual(first.client.texts('crossing'), ['to the other worker', 'and back']);

    // One scrape of the primary sums the workers: every client, whichever worker it is on.
    const scraped = await scrape(metricsUrl);
    t.is(scraped.value('hubbub_connections', { transport: 'ws' }), clients.length);

    hubbub.child.kill('SIGTERM');
    for (const { client } of clients) {
      const closed = await waitUntil(() => client.closed, 'the client to be closed');
      t.is(closed.code, 1001);
    }
    t.deepEqual(await hubbub.waitForExit(), { code: 0, signal: null });
    for (const pid of pids) t.false(isRunning(pid), `worker ${pid} exited`);
    const stopped = hubbub.logLines.filter((line) => line.msg === 'hubbub stopped');
    t.deepEqual(stopped.map((line) => line.worker).sort(), [1, 2], 'each worker drained');
    await t.throwsAsync(answers(port), undefined, 'the port is released');
  },
);

redisTestSerial(
  '--workers auto starts one worker per core; --tcp-port 0 is one port they share, printed once',
  async (t) => {
    const { hubbub, port, metricsUrl } = await startWorkers(t, 'auto', ['--tcp-port', '0']);
    t.is(listeningPids(hubbub).length, availableParallelism());
    const listening = hubbub.logLines.find((line) => line.msg === 'hubbub listening');
    t.like(listening, { workers: availableParallelism(), port });
    const tcpPort = Number(listening?.tcpPort);
    t.deepEqual(hubbub.stdoutLines, [
      `Hubbub listening on http://127.0.0.1:${port}`,
      `Hubbub TCP lines on 127.0.0.1:${tcpPort}`,
      `Hubbub metrics on ${metricsUrl}`,
    ]);
    const sender = await connectTcp(tcpPort);
    const receiver = await connectTcp(tcpPort);
    t.teardown(() => {
      sender.socket.destroy();
      receiver.socket.destroy();
    });
    // A TCP client joins its room after the connection opens (through Redis, asynchronously):
    // each is in once its own line comes back to it.
    for (const [client, line] of [
      [sender, 'sender is in'],
      [receiver, 'receiver is in'],
    ] as const) {
      client.send(line);
      await waitUntil(() => client.messages.includes(line), `${line} (its own line back)`);
    }
    sender.send('over the shared TCP port');
    await waitUntil(
      () => receiver.messages.includes('over the shared TCP port'),
      () => `the line to arrive (the server's log: ${hubbub.stderr})`,
    );
    t.deepEqual(receiver.messages.slice(-1), ['over the shared TCP port']);
    hubbub.child.kill('SIGTERM');
    t.deepEqual(await hubbub.waitForExit(), { code: 0, signal: null });
  },
);

redisTestSerial(
  'a worker that crashes is restarted; crashes that keep coming stop the primary with 1',
  async (t) => {
    const { hubbub, port } = await startWorkers(t, '2');
    for (let crash = 1; crash <= 5; crash++) {
      const pids = listeningPids(hubbub);
      const victim = pids[pids.length - 1] ?? 0;
      process.kill(victim, 'SIGKILL');
      if (crash === 5) break;
      // Each crash is logged, and another worker takes its place on the same port.
      await waitUntil(() => listeningPids(hubbub).length === pids.length + 1, 'a new worker');
      const crashes = hubbub.logLines.filter(
        (line) => line.msg === 'worker exited unexpectedly; starting another',
      );
      t.like(crashes[crash - 1], { pid: victim, signal: 'SIGKILL' });
      t.is(await answers(port), 200);
    }
    t.deepEqual(await hubbub.waitForExit(), { code: 1, signal: null });
    t.like(
      hubbub.logLines.find((line) => line.msg === 'workers keep crashing; stopping every worker'),
      { crashes: 5 },
    );
    for (const pid of listeningPids(hubbub)) t.false(isRunning(pid), `worker ${pid} exited`);
  },
);

redisTestSerial(
  'workers that cannot start (--port in use) print one line between them, and exit 2',
  async (t) => {
    const redis = await startRedis();
    t.teardown(() => redis.stop());
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const taken = (blocker.address() as AddressInfo).port;
    const hubbub = runHubbub([
      '--host',
      '127.0.0.1',
      '--port',
      String(taken),
      '--workers',
      '2',
      '--redis-url',
      redis.url,
    ]);
    t.teardown(() => hubbub.kill());
    t.deepEqual(await hubbub.waitForExit(15_000), { code: 2, signal: null });
    t.is(hubbub.stdout, '');
    const lines = hubbub.stderr.split('\n').filter((line) => !line.startsWith('{'));
    t.deepEqual(lines, [`hubbub: --port ${taken} is already in use (EADDRINUSE)`, '']);
  },
);
