import test from 'ava';
import {
  ConfigError,
  defaultConfig,
  helpText,
  integer,
  optional,
  parseCommandLine,
  SETTINGS,
  settingOf,
} from '../../src/app/config.ts';

const configOf = (argv: string[], env: Record<string, string> = {}) => {
  const parsed = parseCommandLine(argv, env);
  if (parsed.kind !== 'config') throw new Error('expected a config');
  return parsed.config;
};

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
    logLevel: 'info',
    adapters: {},
  });
});

test('--permessage-deflate is a switch; HUBBUB_PERMESSAGE_DEFLATE takes true or false', (t) => {
  t.true(configOf(['--permessage-deflate']).permessageDeflate);
  t.true(configOf([], { HUBBUB_PERMESSAGE_DEFLATE: 'true' }).permessageDeflate);
  t.false(configOf([], { HUBBUB_PERMESSAGE_DEFLATE: 'false' }).permessageDeflate);
  t.throws(() => parseCommandLine([], { HUBBUB_PERMESSAGE_DEFLATE: 'maybe' }), {
    message: /HUBBUB_PERMESSAGE_DEFLATE .*"maybe"/,
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
    const error = t.throws(() => parseCommandLine(argv, env), { instanceOf: ConfigError });
    t.regex(error?.message ?? '', message);
  });
}

test('--help lists every setting with its flag, variable and default', (t) => {
  const parsed = parseCommandLine(['--help'], {});
  t.is(parsed.kind, 'help');
  for (const setting of SETTINGS) {
    t.true(helpText().includes(`--${setting.flag}`), setting.flag);
    for (const variable of setting.env) t.true(helpText().includes(variable), variable);
  }
  t.regex(helpText(), /default 8080/);
  t.regex(helpText(), /default same origin only/);
});

test('adapters declare settings of their own: parsed, validated and listed like the others', (t) => {
  const port = {
    key: 'demoPort',
    flag: 'demo-port',
    env: ['HUBBUB_DEMO_PORT'],
    fallback: '',
    fallbackText: 'off',
    help: 'a demo adapter port',
    parse: optional(integer(0, 65_535)),
  };
  const configWith = (argv: string[], env: Record<string, string> = {}) => {
    const parsed = parseCommandLine(argv, env, [port]);
    if (parsed.kind !== 'config') throw new Error('expected a config');
    return parsed.config;
  };
  t.is(settingOf(configWith(['--demo-port', '9000']), port), 9000);
  t.is(settingOf(configWith([], { HUBBUB_DEMO_PORT: '9001' }), port), 9001);
  t.is(settingOf(configWith([]), port), undefined);
  t.is(settingOf(defaultConfig(), port), undefined, 'a config parsed without it gets its default');
  t.throws(() => configWith(['--demo-port', 'x']), { message: /--demo-port .*"x"/ });
  t.throws(() => parseCommandLine(['--demo-port', '1'], {}), { instanceOf: ConfigError });
  t.regex(helpText([port]), /--demo-port +HUBBUB_DEMO_PORT +default off/);
});
