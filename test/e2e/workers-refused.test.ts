import test from 'ava';
import { runHubbub } from './support/hubbub-process.ts';

const REFUSED_ALONE =
  'hubbub: --workers 2 needs a shared engine: the memory engine keeps rooms in one process; give --redis-url (HUBBUB_REDIS_URL) or use --workers 1\n';

for (const [label, args, env] of [
  ['--workers 2', ['--workers', '2'], {}],
  ['HUBBUB_WORKERS=2', [], { HUBBUB_WORKERS: '2' }],
] as const) {
  test.serial(`${label} with the memory engine is refused: one line, exit 2`, async (t) => {
    const hubbub = runHubbub(['--host', '127.0.0.1', '--port', '0', ...args], env);
    t.teardown(() => hubbub.kill());
    t.deepEqual(await hubbub.waitForExit(15_000), { code: 2, signal: null });
    t.is(hubbub.stdout, '', 'it never listened');
    t.is(hubbub.stderr, REFUSED_ALONE);
  });
}

for (const [args, env, named, value] of [
  [['--workers', '0'], {}, '--workers', '0'],
  [['--workers=-1'], {}, '--workers', '-1'],
  [['--workers', 'x'], {}, '--workers', 'x'],
  [[], { HUBBUB_WORKERS: 'x' }, 'HUBBUB_WORKERS', 'x'],
] as const) {
  test.serial(
    `${named} "${value}" is refused at start, naming the setting and the value`,
    async (t) => {
      const hubbub = runHubbub(['--host', '127.0.0.1', '--port', '0', ...args], env);
      t.teardown(() => hubbub.kill());
      t.deepEqual(await hubbub.waitForExit(15_000), { code: 2, signal: null });
      t.is(hubbub.stdout, '');
      t.is(
        hubbub.stderr,
        `hubbub: ${named} must be auto or a whole number from 1 to 1024, got "${value}"\n`,
      );
    },
  );
}
