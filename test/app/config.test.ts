import test from 'ava';
import { defineAdapter, moduleOf, readSettingsOf } from '../../src/app/adapter.ts';
import {
  CORE_SETTINGS,
  type Config,
  ConfigError,
  defaultConfig,
  helpText,
  integer,
  optional,
  readConfig,
  type SettingGroup,
  settingsReader,
} from '../../src/app/config.ts';
import { parseCommandLine } from '../../src/command-line.ts';
import { parseSettings, SETTING_GROUPS } from '../../src/composition-root.ts';

const configOf = (argv: string[], env: Record<string, string> = {}) => {
  const parsed = parseSettings(argv, env);
  if (parsed.kind !== 'settings') throw new Error('expected settings');
  return parsed.settings;
};

const EVERY_SETTING = SETTING_GROUPS.flatMap((group) => Object.values(group));

test('defaults are the original chat example', (t) => {
  t.deepEqual(configOf([]), {
    port: 8080,
    host: '0.0.0.0',
    maxMessageBytes: 512,
    sendBuffer: 256,
    pingIntervalMs: 54_000,
    pongTimeoutMs: 60_000,
    writeTimeoutMs: 10_000,
    allowedOrigins: [],
    permessageDeflate: false,
    batchWindowMs: 20,
    handshakeTimeoutMs: 10_000,
    maxConnections: 10_000,
    maxConnectionsPerIp: 256,
    rateLimit: 20,
    rateLimitBurst: 40,
    rateLimitPerIp: 100,
    historySize: 100,
    historyTtlMs: 86_400_000,
    dedupeWindowMs: 300_000,
    maxRoomsPerConnection: 32,
    maxRooms: 1_000,
    logLevel: 'info',
    tcpPort: undefined,
    metricsPort: 9464,
    metricsHost: '127.0.0.1',
    redisUrl: undefined,
    redisCluster: false,
    presenceTtlMs: 15_000,
    workers: 1,
  });
});

test('the metrics listener: --metrics-port (9464, 0 or off) and --metrics-host (loopback)', (t) => {
  t.is(configOf(['--metrics-port', '0']).metricsPort, 0);
  t.is(configOf(['--metrics-port', 'off']).metricsPort, undefined);
  t.is(configOf([], { HUBBUB_METRICS_PORT: 'OFF' }).metricsPort, undefined);
  t.is(configOf([], { HUBBUB_METRICS_PORT: '9100' }).metricsPort, 9100);
  t.is(configOf(['--metrics-port', '9200'], { HUBBUB_METRICS_PORT: '9100' }).metricsPort, 9200);
  t.is(configOf(['--metrics-host', '0.0.0.0']).metricsHost, '0.0.0.0');
  t.is(configOf([], { HUBBUB_METRICS_HOST: '::1' }).metricsHost, '::1');
  t.is(configOf(['--host', '0.0.0.0']).metricsHost, '127.0.0.1', 'not the chat host');
});

test('--permessage-deflate is a switch; HUBBUB_PERMESSAGE_DEFLATE takes true or false', (t) => {
  t.true(configOf(['--permessage-deflate']).permessageDeflate);
  t.true(configOf([], { HUBBUB_PERMESSAGE_DEFLATE: 'true' }).permessageDeflate);
  t.false(configOf([], { HUBBUB_PERMESSAGE_DEFLATE: 'false' }).permessageDeflate);
  t.throws(() => parseSettings([], { HUBBUB_PERMESSAGE_DEFLATE: 'maybe' }), {
    message: /HUBBUB_PERMESSAGE_DEFLATE .*"maybe"/,
  });
});

test('--redis-cluster is a switch that needs --redis-url, a seed node of the cluster, on database 0', (t) => {
  const seed = ['--redis-url', 'redis://10.0.0.21:6379'];
  t.true(configOf([...seed, '--redis-cluster']).redisCluster);
  t.true(configOf(seed, { HUBBUB_REDIS_CLUSTER: 'true' }).redisCluster);
  t.false(configOf(seed, { HUBBUB_REDIS_CLUSTER: 'false' }).redisCluster);
  t.true(configOf(['--redis-url', 'redis://10.0.0.21:6379/0', '--redis-cluster']).redisCluster);
  t.throws(() => parseSettings(['--redis-cluster'], {}), {
    instanceOf: ConfigError,
    message: /^--redis-cluster \(HUBBUB_REDIS_CLUSTER\) needs --redis-url \(HUBBUB_REDIS_URL\)/,
  });
  t.throws(() => parseSettings([], { HUBBUB_REDIS_CLUSTER: 'yes', HUBBUB_REDIS_URL: '' }), {
    message: /needs --redis-url/,
  });
  t.throws(
    () => parseSettings(['--redis-url', 'redis://10.0.0.21:6379/2', '--redis-cluster'], {}),
    {
      message: /only database 0, but --redis-url names database 2/,
    },
  );
  t.throws(() => parseSettings(seed, { HUBBUB_REDIS_CLUSTER: 'maybe' }), {
    message: /HUBBUB_REDIS_CLUSTER .*"maybe"/,
  });
});

test('flags win over environment variables, which win over defaults', (t) => {
  const env = { HUBBUB_PORT: '9000', HUBBUB_SEND_BUFFER: '8', PORT: '7000' };
  const config = configOf(['--port', '9100'], env);
  t.is(config.port, 9100);
  t.is(config.sendBuffer, 8);
});

test('PORT is honoured when HUBBUB_PORT is not set', (t) => {
  t.is(configOf([], { PORT: '7000' }).port, 7000);
});

test('--allowed-origin repeats and HUBBUB_ALLOWED_ORIGINS is comma-separated', (t) => {
  t.deepEqual(
    configOf(['--allowed-origin', 'https://a.example', '--allowed-origin=*']).allowedOrigins,
    ['https://a.example', '*'],
  );
  t.deepEqual(
    configOf([], { HUBBUB_ALLOWED_ORIGINS: 'https://a.example, http://b.example:81' })
      .allowedOrigins,
    ['https://a.example', 'http://b.example:81'],
  );
});

const rejected: [string, string[], Record<string, string>, RegExp][] = [
  ['a port that is not a number', ['--port', 'abc'], {}, /--port .*"abc"/],
  ['a port out of range', ['--port', '70000'], {}, /--port .*"70000"/],
  [
    'a zero send buffer from the environment',
    [],
    { HUBBUB_SEND_BUFFER: '0' },
    /HUBBUB_SEND_BUFFER .*"0"/,
  ],
  ['a negative limit', ['--max-message-bytes=-5'], {}, /--max-message-bytes .*"-5"/],
  ['a fractional timeout', ['--write-timeout-ms', '1.5'], {}, /--write-timeout-ms .*"1.5"/],
  [
    'an origin with a path',
    ['--allowed-origin', 'https://a.example/chat'],
    {},
    /--allowed-origin .*a.example\/chat/,
  ],
  [
    'an origin that is not a URL',
    [],
    { HUBBUB_ALLOWED_ORIGINS: 'nope' },
    /HUBBUB_ALLOWED_ORIGINS .*"nope"/,
  ],
  ['an empty host', ['--host', ' '], {}, /--host/],
  [
    'a metrics port that is neither a port nor off',
    ['--metrics-port', 'none'],
    {},
    /^--metrics-port must be a port number from 0 to 65535 or off, got "none"$/,
  ],
  [
    'a metrics port out of range',
    [],
    { HUBBUB_METRICS_PORT: '65536' },
    /HUBBUB_METRICS_PORT .*or off.*"65536"/,
  ],
  ['an empty metrics port', ['--metrics-port', ''], {}, /--metrics-port .*or off, got ""/],
  ['a metrics host with a blank', ['--metrics-host', 'a b'], {}, /--metrics-host .*"a b"/],
  ['an unknown flag', ['--prot', '1'], {}, /--prot/],
  [
    'a ping interval not below the pong timeout',
    ['--ping-interval-ms', '60000'],
    {},
    /--ping-interval-ms .*--pong-timeout-ms/,
  ],
];

for (const [what, argv, env, message] of rejected) {
  test(`refuses ${what}, naming the setting and the value`, (t) => {
    const error = t.throws(() => parseSettings(argv, env), { instanceOf: ConfigError });
    t.regex(error?.message ?? '', message);
  });
}

test('--help lists every setting with its flag, variable and default', (t) => {
  const parsed = parseSettings(['--help'], {});
  if (parsed.kind !== 'help') throw new Error('expected the help text');
  for (const setting of EVERY_SETTING) {
    t.true(parsed.text.includes(`--${setting.flag}`), setting.flag);
    for (const variable of setting.env) t.true(parsed.text.includes(variable), variable);
  }
  t.regex(parsed.text, /default 8080/);
  t.regex(parsed.text, /--metrics-port +HUBBUB_METRICS_PORT +default 9464/);
  t.regex(parsed.text, /--metrics-host +HUBBUB_METRICS_HOST +default 127\.0\.0\.1/);
  t.regex(parsed.text, /default same origin only/);
});

test('adapters declare settings of their own: parsed, validated and listed like the others', (t) => {
  const demo = defineAdapter({
    name: 'demo',
    settings: {
      demoPort: {
        flag: 'demo-port',
        env: ['HUBBUB_DEMO_PORT'],
        fallback: '',
        fallbackText: 'off',
        help: 'a demo adapter port',
        parse: optional(integer(0, 65_535)),
      },
    },
    bind: () => {
      throw new Error('not loaded here');
    },
  });
  const settingsWith = (argv: string[], env: Record<string, string> = {}) => {
    const parsed = parseCommandLine(argv, env, [demo.settings, ...SETTING_GROUPS]);
    if (parsed.kind !== 'settings') throw new Error('expected settings');
    return readSettingsOf([demo], parsed.read);
  };
  t.is(settingsWith(['--demo-port', '9000']).demoPort, 9000);
  t.is(settingsWith([], { HUBBUB_DEMO_PORT: '9001' }).demoPort, 9001);
  t.is(settingsWith([]).demoPort, undefined);
  t.is(settingsWith([]).sendBuffer, defaultConfig().sendBuffer, 'the core settings come along');
  t.throws(() => settingsWith(['--demo-port', 'x']), { message: /--demo-port .*"x"/ });
  t.throws(() => parseSettings(['--demo-port', '1'], {}), { instanceOf: ConfigError });
  t.regex(helpText([demo.settings]), /--demo-port +HUBBUB_DEMO_PORT +default off/);
});

test('two groups cannot declare the same key or the same flag', (t) => {
  const setting = { env: [], fallback: '1', help: 'again', parse: integer(0, 9) };
  const sameKey = { port: { ...setting, flag: 'port-again' } };
  const sameFlag = { portAgain: { ...setting, flag: 'port' } };
  for (const group of [sameKey, sameFlag]) {
    t.throws(() => parseCommandLine([], {}, [...SETTING_GROUPS, group]), {
      message: /declared twice/,
    });
  }
});

test('an adapter module binds its settings under its token, then its own bindings', async (t) => {
  const token = Symbol('demo settings');
  const bound: unknown[] = [];
  const demo = defineAdapter({
    name: 'demo',
    settingsToken: token,
    bind: ({ bind }, settings) => {
      bound.push(settings);
      bind('demo').toConstantValue('bound');
    },
  });
  const { Container } = await import('inversify');
  const container = new Container();
  const settings = defaultConfig();
  container.load(moduleOf(demo, settings));
  t.is(container.get(token), settings);
  t.is(container.get('demo'), 'bound');
  t.deepEqual(bound, [settings]);
  t.deepEqual(demo.settings, {}, 'an adapter without settings declares none');
});

// The core's settings, each by its own flag and variable (spelled out: they are the interface).
const CORE_BY_FLAG: [
  flag: string,
  variable: string,
  raw: string,
  key: keyof Config,
  value: string | number,
][] = [
  ['host', 'HUBBUB_HOST', '127.0.0.2', 'host', '127.0.0.2'],
  ['max-message-bytes', 'HUBBUB_MAX_MESSAGE_BYTES', '1024', 'maxMessageBytes', 1024],
  ['send-buffer', 'HUBBUB_SEND_BUFFER', '8', 'sendBuffer', 8],
  ['ping-interval-ms', 'HUBBUB_PING_INTERVAL_MS', '1000', 'pingIntervalMs', 1000],
  ['pong-timeout-ms', 'HUBBUB_PONG_TIMEOUT_MS', '90000', 'pongTimeoutMs', 90_000],
  ['write-timeout-ms', 'HUBBUB_WRITE_TIMEOUT_MS', '500', 'writeTimeoutMs', 500],
  ['batch-window-ms', 'HUBBUB_BATCH_WINDOW_MS', '0', 'batchWindowMs', 0],
  ['max-connections', 'HUBBUB_MAX_CONNECTIONS', '0', 'maxConnections', 0],
  ['max-connections-per-ip', 'HUBBUB_MAX_CONNECTIONS_PER_IP', '3', 'maxConnectionsPerIp', 3],
  ['rate-limit', 'HUBBUB_RATE_LIMIT', '0', 'rateLimit', 0],
  ['rate-limit-burst', 'HUBBUB_RATE_LIMIT_BURST', '1', 'rateLimitBurst', 1],
];

test('each core setting is read from its flag', (t) => {
  const given = Object.fromEntries(CORE_BY_FLAG.map(([flag, , raw]) => [flag, raw]));
  const config = readConfig(settingsReader(given, {}));
  for (const [flag, , , key, value] of CORE_BY_FLAG) t.is(config[key], value, flag);
});

test('each core setting is read from its environment variable', (t) => {
  const env = Object.fromEntries(CORE_BY_FLAG.map(([, variable, raw]) => [variable, raw]));
  const config = readConfig(settingsReader({}, env));
  for (const [, variable, , key, value] of CORE_BY_FLAG) {
    t.is(config[key], value, variable);
  }
});

test('an empty environment variable counts as unset: the next variable, then the default, applies', (t) => {
  t.is(configOf([], { HUBBUB_PORT: '', PORT: '7000' }).port, 7000);
  t.is(configOf([], { HUBBUB_SEND_BUFFER: '' }).sendBuffer, 256);
});

test('--max-message-bytes goes up to 16 MiB', (t) => {
  t.is(configOf(['--max-message-bytes', String(16 * 1024 * 1024)]).maxMessageBytes, 16_777_216);
  t.throws(() => configOf(['--max-message-bytes', '16777217']), { instanceOf: ConfigError });
});

test('a ping interval just below the pong timeout is accepted', (t) => {
  const config = configOf(['--ping-interval-ms', '59999', '--pong-timeout-ms', '60000']);
  t.is(config.pingIntervalMs, 59_999);
});

test('a default that does not parse is reported as the default of its flag', (t) => {
  const broken = {
    broken: {
      flag: 'broken',
      env: ['HUBBUB_BROKEN'],
      fallback: 'x',
      help: '',
      parse: integer(0, 9),
    },
  };
  t.throws(() => settingsReader({}, {})(broken), {
    instanceOf: ConfigError,
    message: 'default of --broken must be a whole number from 0 to 9, got "x"',
  });
});

test('a refused value names where it came from: a switch, a flag, a repeated flag, a variable', (t) => {
  const group = {
    level: { flag: 'level', env: ['HUBBUB_LEVEL'], fallback: '0', help: '', parse: integer(0, 1) },
  };
  const cases: [given: Record<string, unknown>, env: Record<string, string>, message: string][] = [
    [{ level: true }, {}, '--level must be a whole number from 0 to 1, got "true"'],
    [{ level: '7' }, {}, '--level must be a whole number from 0 to 1, got "7"'],
    [{ level: ['1', '2'] }, {}, '--level must be a whole number from 0 to 1, got "1,2"'],
    [{}, { HUBBUB_LEVEL: '9' }, 'HUBBUB_LEVEL must be a whole number from 0 to 1, got "9"'],
  ];
  for (const [given, env, message] of cases) {
    t.throws(() => settingsReader(given, env)(group), { instanceOf: ConfigError, message });
  }
});

test('defaultConfig: every core default, with the overrides given', (t) => {
  const config = defaultConfig({ sendBuffer: 3, host: 'localhost' });
  t.deepEqual(config, { ...readConfig(settingsReader({}, {})), sendBuffer: 3, host: 'localhost' });
  t.is(config.maxMessageBytes, 512);
});

test('--help puts flags, variables and defaults in columns, each setting over its help line', (t) => {
  const parse = integer(0, 9);
  const group: SettingGroup = {
    alpha: {
      flag: 'alpha',
      env: ['HUBBUB_ALPHA', 'ALPHA'],
      fallback: '1',
      help: 'the first',
      parse,
    },
    beta: {
      flag: 'beta',
      env: ['B'],
      fallback: '',
      fallbackText: 'off',
      help: 'the second',
      repeatable: true,
      parse: optional(parse),
    },
  };
  t.is(
    helpText([group]),
    [
      'Usage: hubbub [options]',
      '',
      'Every setting is a flag or an environment variable; flags win.',
      '',
      '  --alpha                        HUBBUB_ALPHA, ALPHA  default 1',
      '      the first',
      '  --beta (repeatable)            B                    default off',
      '      the second',
      '  --help, -h                     print this text',
      '  --version, -v                  print the version',
    ].join('\n'),
  );
});

test('--help describes each core setting on the line under its flag', (t) => {
  const lines = helpText().split('\n');
  for (const setting of Object.values(CORE_SETTINGS)) {
    const at = lines.findIndex((line) => line.startsWith(`  --${setting.flag} `));
    t.regex(lines[at + 1] ?? '', /^ {6}\w.{10,}/, setting.flag);
  }
});
