import test from 'ava';
import { parseSettings } from '../../src/composition-root.ts';
import { scrape } from '../adapters/prometheus/scrape.ts';
import { connectSse } from '../adapters/support/sse-client.ts';
import { connect, refusal, waitUntil } from '../adapters/support/ws-client.ts';
import { type HubbubProcess, runHubbub, startHubbub } from './support/hubbub-process.ts';

// Three child processes in all: the default level, a warn level, and a bad level.

const lines = (hubbub: HubbubProcess, msg: string) =>
  hubbub.logLines.filter((line) => line.msg === msg);

/** Waits until `/metrics` of the child shows `value` for a sample: the server has got that far. */
const waitForSample = (
  metricsUrl: string | undefined,
  name: string,
  labels: Readonly<Record<string, string>>,
  value: number,
): Promise<true> => {
  let latest: number | undefined;
  let scraping = false;
  return waitUntil(
    () => {
      if (latest === value) return true;
      if (!scraping) {
        scraping = true;
        scrape(metricsUrl).then(
          (metrics) => {
            latest = metrics.value(name, labels);
            scraping = false;
          },
          () => {
            scraping = false;
          },
        );
      }
      return undefined;
    },
    () => `${name} ${JSON.stringify(labels)} to be ${value} (is ${latest})`,
  );
};

test.serial(
  'by default each connection logs one JSON line on opening and one on closing',
  async (t) => {
    const { hubbub, port } = await startHubbub();
    t.teardown(() => hubbub.kill());
    const ws = await connect(`ws://127.0.0.1:${port}/ws`);
    t.teardown(() => ws.close());
    const sse = await connectSse(`http://127.0.0.1:${port}`);
    t.teardown(() => sse.leave());
    await waitUntil(() => lines(hubbub, 'connection opened').length === 2, 'two opened lines');
    await ws.close();
    await sse.leave();
    await waitUntil(() => lines(hubbub, 'connection closed').length === 2, 'two closed lines');

    const opened = lines(hubbub, 'connection opened');
    const closed = lines(hubbub, 'connection closed');
    t.deepEqual(opened.map((line) => line.transport).sort(), ['sse', 'ws']);
    t.deepEqual(closed.map((line) => line.transport).sort(), ['sse', 'ws']);
    for (const line of opened) {
      t.like(line, { level: 'info' });
      t.regex(String(line.remote), /^127\.0\.0\.1:\d+$/);
      t.is(typeof line.connection, 'string');
      t.is(typeof line.time, 'string');
    }
    for (const line of closed) {
      t.like(line, { level: 'info', reason: 'left' });
      t.regex(String(line.remote), /^127\.0\.0\.1:\d+$/);
      t.true(typeof line.durationMs === 'number' && line.durationMs >= 0, String(line.durationMs));
    }
    // One of each per connection, and each closed line names the connection that opened.
    const ids = opened.map((line) => line.connection);
    t.is(new Set(ids).size, 2);
    t.deepEqual(closed.map((line) => line.connection).sort(), [...ids].sort());
    for (const line of closed) {
      const before = opened.find((entry) => entry.connection === line.connection);
      t.is(line.transport, before?.transport);
      t.is(line.remote, before?.remote);
    }
    t.false(hubbub.logLines.some((line) => line.level === 'error'));
    t.deepEqual(
      hubbub.stdoutLines.map((line) => line.replace(/:\d+/, ':PORT')),
      [
        'Hubbub listening on http://127.0.0.1:PORT',
        'Hubbub metrics on http://127.0.0.1:PORT/metrics',
      ],
      'stdout carries only the listening lines',
    );
  },
);

test.serial('HUBBUB_LOG_LEVEL=warn writes no info lines, but does write rejections', async (t) => {
  const { hubbub, port, metricsUrl } = await startHubbub(['--max-connections', '1'], {
    HUBBUB_LOG_LEVEL: 'warn',
  });
  t.teardown(() => hubbub.kill());
  const url = `ws://127.0.0.1:${port}/ws`;
  const client = await connect(url);
  t.teardown(() => client.close());
  t.is((await refusal(url)).status, 503);
  await client.close();
  // The close has been handled (and its info line would have been written) once it is counted.
  await waitForSample(
    metricsUrl,
    'hubbub_connections_closed_total',
    { transport: 'ws', reason: 'left' },
    1,
  );
  // A last warning: once it is on stderr, everything written before it is there too. From
  // another address: refusals are logged once per address per interval.
  t.is(
    (await refusal(url, { origin: 'http://evil.example', localAddress: '127.0.0.2' })).status,
    403,
  );
  await waitUntil(
    () => lines(hubbub, 'connection rejected').length === 2,
    () => `two rejection lines in ${JSON.stringify(hubbub.stderr)}`,
  );

  t.deepEqual(
    lines(hubbub, 'connection rejected').map((line) => [line.level, line.transport, line.reason]),
    [
      ['warn', 'ws', 'max_connections'],
      ['warn', 'ws', 'origin_not_allowed'],
    ],
  );
  t.deepEqual(lines(hubbub, 'connection opened'), []);
  t.deepEqual(lines(hubbub, 'connection closed'), []);
  t.deepEqual(
    hubbub.logLines.filter((line) => line.level === 'info' || line.level === 'debug'),
    [],
  );
  t.regex(hubbub.stdout, /^Hubbub listening on /);
});

test('--log-level takes the same values as HUBBUB_LOG_LEVEL, and wins over it', (t) => {
  const fromFlag = parseSettings(['--log-level', 'warn'], {});
  const fromEnv = parseSettings([], { HUBBUB_LOG_LEVEL: 'warn' });
  const both = parseSettings(['--log-level', 'error'], { HUBBUB_LOG_LEVEL: 'warn' });
  t.like(fromFlag, { kind: 'settings', settings: { logLevel: 'warn' } });
  t.like(fromEnv, { kind: 'settings', settings: { logLevel: 'warn' } });
  t.like(both, { kind: 'settings', settings: { logLevel: 'error' } });
});

test.serial(
  '--log-level nonsense exits 2 with one line naming the setting and the value',
  async (t) => {
    // The variable holds a valid level: the flag is what is read, and what is reported.
    const hubbub = runHubbub(['--log-level', 'nonsense'], { HUBBUB_LOG_LEVEL: 'warn' });
    t.teardown(() => hubbub.kill());
    t.deepEqual(await hubbub.waitForExit(15_000), { code: 2, signal: null });
    t.is(hubbub.stdout, '');
    t.is(hubbub.stderr.trim().split('\n').length, 1, hubbub.stderr);
    t.regex(hubbub.stderr, /^hubbub: --log-level must be one of debug, info, warn, error, silent/);
    t.regex(hubbub.stderr, /"nonsense"/);
  },
);
