// The real src against .dependency-cruiser.cjs: the same check as `npm run depcruise`.
// It fails until src has the target layout (src/lib, src/adapters/kit, src/composition-root.ts,
// an app layer without node: builtins and without container.ts), and lists what is still wrong.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { checkLayering, type Layering, repositoryRoot, show } from './support/layering.ts';

let layering: Layering | undefined;
test.before(async () => {
  [layering] = await checkLayering([repositoryRoot]);
});

function checked(): Layering {
  if (layering === undefined) throw new Error('src was not checked');
  return layering;
}

test('every .ts file in src is cruised, and every import in src resolves', async (t) => {
  const files = (await readdir(join(repositoryRoot, 'src'), { recursive: true }))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `src/${file.split('\\').join('/')}`)
    .sort();
  t.true(files.length > 0);
  t.deepEqual(checked().sources, files);
  t.deepEqual(checked().unresolved, []);
});

test('src breaks no layering rule', (t) => {
  t.deepEqual(checked().violations.map(show), []);
});
