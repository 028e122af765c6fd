import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import test from 'ava';
import { SETTING_GROUPS } from '../../src/composition-root.ts';
import { scrape } from '../adapters/prometheus/scrape.ts';
import { connectTcp } from '../adapters/support/tcp-client.ts';
import { connect, utf8OfBytes, waitUntil, within } from '../adapters/support/ws-client.ts';
import { answers, runHubbub, startHubbub } from './support/hubbub-process.ts';

for (const flag of ['--help', '-h']) {
  test.serial(
    `${flag} prints every setting with its environment variables and exits 0`,
    async (t) => {
      const hubbub = runHubbub([flag]);
      t.teardown(() => hubbub.kill());
      t.deepEqual(await hubbub.waitForExit(15_000), { code: 0, signal: null });
      t.regex(hubbub.stdout, /^Usage: hubbub/);
      for (const setting of SETTING_GROUPS.flatMap((group) => Object.values(group))) {
        t.true(hubbub.stdout.includes(`--${setting.flag}`), `--${setting.flag} is listed`);
        for (const variable of setting.env) t.true(hubbub.stdout.includes(variable), variable);
      }
      t.regex(hubbub.stdout, /--help/);
      t.regex(hubbub.stdout, /--version, -v/);
      t.regex(hubbub.stdout, /default 512/);
      t.is(hubbub.stderr, '');
    },
  );
}

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
);

for (const flag of ['--version', '-v']) {
  test.serial(`${flag} prints the version of package.json and exits 0`, async (t) => {
    const hubbub = runHubbub([flag]);
    t.teardown(() => hubbub.kill());
    t.deepEqual(await hubbub.waitForExit(15_000), { code: 0, signal: null });
    t.regex(version, /^\d+\.\d+\.\d+/);
    t.is(hubbub.stdout, `${version}\n`);
    t.is(hubbub.stderr, '');
  });
}

const BAD: ReadonlyArray<
  Readonly<{ args: string[]; env?: Record<string, string>; names: RegExp; value: RegExp }>
> = [
  { args: ['--port', 'abc'], names: /--port/, value: /"abc"/ },
  { args: ['--port', '70000'], names: /--port/, value: /"70000"/ },
  { args: [], env: { HUBBUB_SEND_BUFFER: '0' }, names: /HUBBUB_SEND_BUFFER/, value: /"0"/ },
  { args: ['--max-message-bytes=-5'], names: /--max-message-bytes/, value: /"-5"/ },
  { args: [], env: { PORT: 'eighty' }, names: /\bPORT\b/, value: /"eighty"/ },
  {
    args: [],
    env: { HUBBUB_ALLOWED_ORIGINS: 'chat.example.com' },
    names: /HUBBUB_ALLOWED_ORIGINS/,
    value: /chat\.example\.com/,
  },
  {
    args: ['--ping-interval-ms', '60000', '--pong-timeout-ms', '1000'],
    names: /--ping-interval-ms.*--pong-timeout-ms/,
    value: /60000.*1000/,
  },
  { args: ['--no-such-flag'], names: /no-such-flag/, value: /--help/ },
  { args: ['--metrics-port', 'none'], names: /--metrics-port .*or off/, value: /"none"/ },
  { args: [], env: { HUBBUB_METRICS_PORT: '-1' }, names: /HUBBUB_METRICS_PORT/, value: /"-1"/ },
  { args: ['--redis-cluster'], names: /--redis-cluster .*needs --redis-url/, value: /redis:\/\// },
];

for (const bad of BAD) {
  const label = [...bad.args, ...Object.entries(bad.env ?? {}).map(([k, v]) => `${k}=${v}`)];
  test.serial(
    `a bad setting (${label.join(' ')}) exits non-zero naming the setting and the value`,
    async (t) => {
      const hubbub = runHubbub(bad.args, bad.env);
      t.teardown(() => hubbub.kill());
      const exit = await hubbub.waitForExit(15_000);
      t.not(exit.code, 0);
      t.is(exit.code, 2);
      t.is(hubbub.stdout, '', 'nothing on stdout: it never listened');
      t.regex(hubbub.stderr, /^hubbub: /);
      t.is(hubbub.stderr.trim().split('\n').length, 1, 'one clear line, no stack trace');
      t.regex(hubbub.stderr, bad.names);
      t.regex(hubbub.stderr, bad.value);
    },
  );
}

for (const flag of ['--port', '--tcp-port', '--metrics-port']) {
  test.serial(`${flag} already in use: one line naming it, exit 2`, async (t) => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const address = blocker.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const taken = String(address.port);
    const ports = flag === '--port' ? ['--port', taken] : ['--port', '0', flag, taken];
    const hubbub = runHubbub(['--host', '127.0.0.1', ...ports]);
    t.teardown(() => hubbub.kill());
    t.deepEqual(await hubbub.waitForExit(15_000), { code: 2, signal: null });
    t.is(hubbub.stdout, '');
    t.is(hubbub.stderr, `hubbub: ${flag} ${taken} is already in use (EADDRINUSE)\n`);
  });
}

test.serial(
  '--metrics-host that is not an address of this machine: one line naming it, exit 2',
  async (t) => {
    // 192.0.2.1 is TEST-NET-1, documentation only: binding it fails here, and nothing is sent.
    const hubbub = runHubbub(['--host', '127.0.0.1', '--port', '0', '--metrics-host', '192.0.2.1']);
    t.teardown(() => hubbub.kill());
    t.deepEqual(await hubbub.waitForExit(15_000), { code: 2, signal: null });
    t.is(hubbub.stdout, '');
    t.is(
      hubbub.stderr,
      'hubbub: --metrics-host 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL)\n',
    );
  },
);

test.serial(
  'with the metrics listener off, startup prints exactly one line on stdout, the address; logs go to stderr',
  async (t) => {
    const { hubbub, port, metricsUrl } = await startHubbub(['--metrics-port', 'off']);
    t.teardown(() => hubbub.kill());
    t.is(metricsUrl, undefined);
    const client = await connect(`ws://127.0.0.1:${port}/ws`, {
      origin: 'http://evil.example',
    }).catch(() => undefined); // refused: that is logged, on stderr
    t.is(client, undefined);
    t.is(await answers(port), 200);
    await within(
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (hubbub.stderr.includes('"origin_not_allowed"')) resolve();
          else setTimeout(check, 5);
        };
        check();
      }),
      'the refusal to be logged',
    );
    t.deepEqual(hubbub.stdoutLines, [`Hubbub listening on http://127.0.0.1:${port}`]);
    t.true(hubbub.stdout.endsWith('\n'));
    hubbub.child.kill('SIGTERM');
    await hubbub.waitForExit();
    t.deepEqual(hubbub.stdoutLines, [`Hubbub listening on http://127.0.0.1:${port}`]);
  },
);

test.serial(
  'with --metrics-port 0 the metrics URL is printed after the address and logged, and serves',
  async (t) => {
    const { hubbub, port, metricsUrl } = await startHubbub(['--metrics-port', '0']);
    t.teardown(() => hubbub.kill());
    const metricsPort = Number(/:(\d+)\/metrics$/.exec(metricsUrl ?? '')?.[1]);
    t.true(metricsPort > 0, hubbub.stdout);
    t.not(metricsPort, port);
    t.deepEqual(hubbub.stdoutLines, [
      `Hubbub listening on http://127.0.0.1:${port}`,
      `Hubbub metrics on http://127.0.0.1:${metricsPort}/metrics`,
    ]);
    const listening = await waitUntil(
      () => hubbub.logLines.find((line) => line.msg === 'hubbub listening'),
      'the listening log line',
    );
    t.like(listening, { port, metricsPort, metricsUrl });
    const scraped = await scrape(metricsUrl);
    t.is(scraped.status, 200);
    t.true((scraped.value('process_resident_memory_bytes') ?? 0) > 0);
    t.is(await answers(port, '/metrics'), 404, 'not on the chat port');
  },
);

test.serial(
  'with --port 0 --tcp-port 0 both bound ports are printed and logged, and serve',
  async (t) => {
    const { hubbub, port } = await startHubbub(['--tcp-port', '0']);
    t.teardown(() => hubbub.kill());
    const [, tcpLine] = await waitUntil(
      () => hubbub.stdoutLines.length >= 2 && hubbub.stdoutLines,
      'the TCP line',
    );
    const tcpPort = Number(/^Hubbub TCP lines on 127\.0\.0\.1:(\d+)$/.exec(tcpLine ?? '')?.[1]);
    t.true(tcpPort > 0, tcpLine);
    t.not(tcpPort, port);
    const listening = hubbub.logLines.find((line) => line.msg === 'hubbub listening');
    t.like(listening, { url: `http://127.0.0.1:${port}`, port, tcpPort });

    const ws = await connect(`ws://127.0.0.1:${port}/ws`);
    t.teardown(() => ws.close());
    const tcp = await connectTcp(tcpPort);
    t.teardown(() => tcp.socket.destroy());
    await waitUntil(
      () => hubbub.logLines.filter((line) => line.msg === 'connection opened').length === 2,
      'both connections to join',
    );
    tcp.send('over the TCP port printed');
    t.deepEqual(await ws.waitForMessages(1), ['over the TCP port printed']);
  },
);

test.serial(
  'settings reach the running server: flags win over environment variables',
  async (t) => {
    const { hubbub, port } = await startHubbub(['--max-message-bytes', '16'], {
      HUBBUB_MAX_MESSAGE_BYTES: '1000',
    });
    t.teardown(() => hubbub.kill());
    const client = await connect(`ws://127.0.0.1:${port}/ws`);
    client.send(utf8OfBytes(16));
    await client.waitForMessages(1);
    client.send(utf8OfBytes(17));
    t.is((await client.waitForClose()).code, 1009);
  },
);

test.serial('settings reach the running server from environment variables', async (t) => {
  const { hubbub, port } = await startHubbub([], { HUBBUB_MAX_MESSAGE_BYTES: '16' });
  t.teardown(() => hubbub.kill());
  const client = await connect(`ws://127.0.0.1:${port}/ws`);
  client.send(utf8OfBytes(17));
  t.is((await client.waitForClose()).code, 1009);
});
