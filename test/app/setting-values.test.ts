import test from 'ava';
import {
  boolean,
  ConfigError,
  hostName,
  integer,
  LOG_LEVELS,
  logLevel,
  optional,
  origins,
  orOff,
} from '../../src/app/setting-values.ts';

// Each parser is given the setting's name (a flag, a variable, or "default of --flag") for its
// error message, so the message says which setting was wrong and what it was given.
const name = '--demo';

test('a ConfigError is named ConfigError, so the command line can tell it from a bug', (t) => {
  t.is(new ConfigError('bad').name, 'ConfigError');
});

test('integer: whole numbers from min to max inclusive, surrounding blanks ignored', (t) => {
  const oneToTen = integer(1, 10);
  t.is(oneToTen('1', name), 1);
  t.is(oneToTen('10', name), 10);
  t.is(oneToTen(' 7 ', name), 7);
  t.is(oneToTen('07', name), 7);
});

for (const raw of ['0', '11', '-1', '1.5', '1e1', '5a', 'a5', '', ' ', '0x5']) {
  test(`integer: refuses ${JSON.stringify(raw)} for 1 to 10, naming the setting, range and value`, (t) => {
    t.throws(() => integer(1, 10)(raw, name), {
      instanceOf: ConfigError,
      message: `--demo must be a whole number from 1 to 10, got "${raw}"`,
    });
  });
}

test('integer: refuses a number too large to be exact, even with no upper bound', (t) => {
  const unbounded = integer(0, Number.POSITIVE_INFINITY);
  t.is(unbounded(String(Number.MAX_SAFE_INTEGER), name), Number.MAX_SAFE_INTEGER);
  t.throws(() => unbounded('9007199254740993', name), { instanceOf: ConfigError });
});

test('optional: blank means off; anything else goes to the inner parser', (t) => {
  const port = optional(integer(0, 65_535));
  t.is(port('', name), undefined);
  t.is(port('   ', name), undefined);
  t.is(port(' 8081 ', name), 8081);
  t.throws(() => port('x', name), { message: /--demo .*"x"/ });
});

test('orOff: the word off, in any case and with blanks around, means off', (t) => {
  const port = orOff(integer(0, 65_535), 'a port number');
  for (const raw of ['off', 'OFF', ' Off ']) t.is(port(raw, name), undefined, raw);
  t.is(port('0', name), 0);
  t.is(port(' 9464 ', name), 9464);
});

for (const raw of ['', ' ', 'of', 'none', 'false', '70000', '-1']) {
  test(`orOff: refuses ${JSON.stringify(raw)}, saying off is also taken`, (t) => {
    t.throws(() => orOff(integer(0, 65_535), 'a port number')(raw, name), {
      instanceOf: ConfigError,
      message: `--demo must be a port number or off, got "${raw}"`,
    });
  });
}

test('orOff: an error that is not a ConfigError is passed on as it is', (t) => {
  const broken = orOff(() => {
    throw new TypeError('a bug');
  }, 'anything');
  t.throws(() => broken('1', name), { instanceOf: TypeError, message: 'a bug' });
});

test('hostName: any name or address without blanks, as given', (t) => {
  t.is(hostName('0.0.0.0', name), '0.0.0.0');
  t.is(hostName('chat.example.com', name), 'chat.example.com');
  t.is(hostName('::1', name), '::1');
});

for (const raw of ['', ' ', 'chat example', 'chat\texample', ' localhost']) {
  test(`hostName: refuses ${JSON.stringify(raw)}, naming the setting and the value`, (t) => {
    t.throws(() => hostName(raw, name), {
      instanceOf: ConfigError,
      message: `--demo must be a host name or address, got "${raw}"`,
    });
  });
}

test('origins: a comma-separated list of origins or *, normalised, blanks and empty items dropped', (t) => {
  t.deepEqual(origins('', name), []);
  t.deepEqual(origins(' , ', name), []);
  t.deepEqual(origins('*', name), ['*']);
  t.deepEqual(origins(' HTTPS://Chat.Example.com ,, http://b.example:81,', name), [
    'https://chat.example.com',
    'http://b.example:81',
  ]);
  t.deepEqual(origins('https://a.example:443', name), ['https://a.example']);
});

for (const origin of [
  'https://a.example/',
  'https://a.example/chat',
  'file://host',
  'chat.example.com',
  '**',
]) {
  test(`origins: refuses ${origin}, naming the setting and the item`, (t) => {
    t.throws(() => origins(`https://ok.example,${origin}`, name), {
      instanceOf: ConfigError,
      message: `--demo must list origins like "https://chat.example.com" or "*", got "${origin}"`,
    });
  });
}

test('boolean: true, 1, yes, on mean true; false, 0, no, off and blank mean false; any case', (t) => {
  for (const raw of ['true', '1', 'yes', 'on', 'TRUE', ' On ']) t.true(boolean(raw, name), raw);
  for (const raw of ['false', '0', 'no', 'off', '', 'FALSE', ' Off ']) {
    t.false(boolean(raw, name), raw);
  }
});

test('boolean: refuses any other word, naming the setting and the value', (t) => {
  t.throws(() => boolean('maybe', name), {
    instanceOf: ConfigError,
    message: '--demo must be true or false, got "maybe"',
  });
});

test('logLevel: one of debug, info, warn, error, silent, in any case', (t) => {
  t.deepEqual(LOG_LEVELS, ['debug', 'info', 'warn', 'error', 'silent']);
  for (const level of LOG_LEVELS) t.is(logLevel(` ${level.toUpperCase()} `, name), level);
});

test('logLevel: refuses anything else, listing the levels', (t) => {
  t.throws(() => logLevel('verbose', name), {
    instanceOf: ConfigError,
    message: '--demo must be one of debug, info, warn, error, silent, got "verbose"',
  });
});
