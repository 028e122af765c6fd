import { availableParallelism } from 'node:os';
import test from 'ava';
import { ConfigError } from '../../src/app/config.ts';
import { parseSettings } from '../../src/composition-root.ts';
import { checkSharedEngine, MAX_WORKERS, workerCount } from '../../src/workers/workers.settings.ts';

const REDIS = { HUBBUB_REDIS_URL: 'redis://127.0.0.1:6379' };

const workersOf = (argv: string[], env: Record<string, string> = REDIS): number => {
  const parsed = parseSettings(argv, env);
  if (parsed.kind !== 'settings') throw new Error(`parsed as ${parsed.kind}`);
  return parsed.settings.workers;
};

test('one worker by default: the single process of before', (t) => {
  t.is(workersOf([], {}), 1);
});

test('--workers auto is one worker per core this process may use, in any case', (t) => {
  t.is(workersOf(['--workers', 'auto']), availableParallelism());
  t.is(workersOf(['--workers', ' AUTO ']), availableParallelism());
  t.is(workersOf([], { ...REDIS, HUBBUB_WORKERS: 'Auto' }), availableParallelism());
});

test('--workers N, from the flag or HUBBUB_WORKERS; the flag wins', (t) => {
  t.is(workersOf(['--workers', '3']), 3);
  t.is(workersOf([], { ...REDIS, HUBBUB_WORKERS: '4' }), 4);
  t.is(workersOf(['--workers', '2'], { ...REDIS, HUBBUB_WORKERS: '4' }), 2);
  t.is(workersOf(['--workers', String(MAX_WORKERS)]), MAX_WORKERS);
});

for (const raw of ['0', '-1', 'x', '', '1.5', '2 workers', String(MAX_WORKERS + 1)]) {
  test(`--workers "${raw}" is refused, naming the setting, the value and what it takes`, (t) => {
    const error = t.throws(() => workerCount(raw, '--workers'), { instanceOf: ConfigError });
    t.is(
      error?.message,
      `--workers must be auto or a whole number from 1 to ${MAX_WORKERS}, got "${raw}"`,
    );
  });
}

test('a bad HUBBUB_WORKERS is refused at start, naming the variable', (t) => {
  t.throws(() => parseSettings([], { ...REDIS, HUBBUB_WORKERS: 'many' }), {
    instanceOf: ConfigError,
    message: /^HUBBUB_WORKERS must be auto or a whole number from 1 to \d+, got "many"$/,
  });
});

test('more than one worker without a shared engine is refused, naming both settings', (t) => {
  const expected =
    '--workers 2 needs a shared engine: the memory engine keeps rooms in one process; give --redis-url (HUBBUB_REDIS_URL) or use --workers 1';
  t.throws(() => checkSharedEngine(2, undefined), { instanceOf: ConfigError, message: expected });
  t.throws(() => parseSettings(['--workers', '2'], {}), { message: expected });
  t.throws(() => parseSettings([], { HUBBUB_WORKERS: '2' }), { message: expected });
});

test('one worker needs no shared engine; several have one with a Redis URL', (t) => {
  t.notThrows(() => checkSharedEngine(1, undefined));
  t.notThrows(() => checkSharedEngine(8, 'redis://127.0.0.1:6379'));
  t.is(workersOf(['--workers', '2']), 2);
});
