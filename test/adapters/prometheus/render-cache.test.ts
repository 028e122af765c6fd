import test from 'ava';
import { RENDER_CACHE_MS, RenderCache } from '../../../src/adapters/prometheus/render-cache.ts';

/** A render the test finishes by hand, counting calls, on a clock the test moves. */
const setUp = () => {
  const clock = { ms: 10_000 };
  const pending: Array<{ resolve: (text: string) => void; reject: (error: Error) => void }> = [];
  let renders = 0;
  const cache = new RenderCache<string>(
    () => {
      renders += 1;
      return new Promise((resolve, reject) => pending.push({ resolve, reject }));
    },
    () => clock.ms,
  );
  const finish = (text: string): Promise<void> => {
    pending.shift()?.resolve(text);
    return new Promise((resolve) => setImmediate(resolve));
  };
  const fail = (error: Error): Promise<void> => {
    pending.shift()?.reject(error);
    return new Promise((resolve) => setImmediate(resolve));
  };
  return { clock, cache, finish, fail, renders: () => renders };
};

test('the window is one second', (t) => {
  t.is(RENDER_CACHE_MS, 1_000);
});

test('30 callers while a rendering is under way share it: one render', async (t) => {
  const { cache, finish, renders } = setUp();
  const results = Array.from({ length: 30 }, () => cache.get());
  t.is(renders(), 1);
  t.is(new Set(results).size, 1, 'the very same promise');
  await finish('one');
  t.deepEqual(await Promise.all(results), Array(30).fill('one'));
  t.is(renders(), 1);
});

test('a rendering under way is shared however long it takes', async (t) => {
  const { clock, cache, finish, renders } = setUp();
  const first = cache.get();
  clock.ms += 5 * RENDER_CACHE_MS;
  t.is(cache.get(), first);
  t.is(renders(), 1);
  await finish('slow');
  t.is(await first, 'slow');
});

test('a finished rendering is served for RENDER_CACHE_MS after it was done, then renewed', async (t) => {
  const { clock, cache, finish, renders } = setUp();
  const first = cache.get();
  clock.ms += 300; // the rendering takes a while: the window starts when it is done
  await finish('first');
  clock.ms += RENDER_CACHE_MS - 1;
  t.is(await cache.get(), 'first');
  t.is(renders(), 1);
  clock.ms += 1;
  const second = cache.get();
  t.not(second, first);
  t.is(renders(), 2);
  await finish('second');
  t.is(await second, 'second');
  t.is(await cache.get(), 'second');
  t.is(renders(), 2);
});

test('a failed rendering is not kept: the next caller renders again', async (t) => {
  const { cache, finish, fail, renders } = setUp();
  const failing = cache.get();
  const sharing = cache.get();
  await fail(new Error('registry broke'));
  await t.throwsAsync(failing, { message: 'registry broke' });
  await t.throwsAsync(sharing, { message: 'registry broke' });
  const retried = cache.get();
  t.is(renders(), 2);
  await finish('back');
  t.is(await retried, 'back');
});

test('a render that throws at once rejects, and is not kept either', async (t) => {
  let calls = 0;
  const cache = new RenderCache<string>(
    () => {
      calls += 1;
      if (calls === 1) throw new Error('at once');
      return Promise.resolve('fine');
    },
    () => 0,
  );
  await t.throwsAsync(cache.get(), { message: 'at once' });
  t.is(await cache.get(), 'fine');
  t.is(calls, 2);
});

test('a clock that goes backwards expires the rendering kept', async (t) => {
  const { clock, cache, finish, renders } = setUp();
  const first = cache.get();
  await finish('before');
  await first;
  clock.ms -= 1;
  const again = cache.get();
  t.is(renders(), 2);
  await finish('after');
  t.is(await again, 'after');
});
