import test from 'ava';
import { BatchWindow, type Flushable } from '../../../src/adapters/kit/batch-window.ts';

/** A connection that counts its flushes and can be waited on. */
const flushable = (onFlush: () => void = () => {}) => {
  let resolve: () => void = () => {};
  const connection = {
    flushes: 0,
    flushed: new Promise<void>((r) => {
      resolve = r;
    }),
    flush(): void {
      connection.flushes++;
      onFlush();
      resolve();
    },
  };
  return connection satisfies Flushable;
};

const WINDOW_MS = 7;

// Counts the timers started for the window (by their delay): serial, as it wraps setTimeout.
test.serial('one timer flushes every connection woken within the window, each once', async (t) => {
  const original = globalThis.setTimeout;
  let timers = 0;
  globalThis.setTimeout = ((callback: () => void, ms?: number) => {
    if (ms === WINDOW_MS) timers++;
    return original(callback, ms);
  }) as typeof setTimeout;
  try {
    const window = new BatchWindow(WINDOW_MS);
    const [a, b] = [flushable(), flushable()];
    window.schedule(a);
    window.schedule(b);
    window.schedule(a);
    await Promise.all([a.flushed, b.flushed]);
    t.is(timers, 1);
    t.deepEqual([a.flushes, b.flushes], [1, 1]);
  } finally {
    globalThis.setTimeout = original;
  }
});

test('a connection woken during a flush is flushed by the next pass, not this one', async (t) => {
  const window = new BatchWindow(WINDOW_MS);
  let passEnded = false;
  let flushedWithinThePass: boolean | undefined;
  const later = flushable(() => {
    flushedWithinThePass = !passEnded;
  });
  const first = flushable(() => {
    window.schedule(later);
    queueMicrotask(() => {
      passEnded = true;
    });
  });
  window.schedule(first);
  await later.flushed;
  t.false(flushedWithinThePass);
  t.deepEqual([first.flushes, later.flushes], [1, 1]);
});

test('once a window has closed, the next wake opens a new one', async (t) => {
  const window = new BatchWindow(WINDOW_MS);
  const first = flushable();
  window.schedule(first);
  await first.flushed;
  const second = flushable();
  window.schedule(second);
  await second.flushed;
  t.deepEqual([first.flushes, second.flushes], [1, 1]);
});

test('a window of 0 ms closes at the end of the turn (setImmediate), not before', async (t) => {
  const window = new BatchWindow(0);
  const connection = flushable();
  window.schedule(connection);
  await Promise.resolve();
  t.is(connection.flushes, 0, 'not within the turn');
  await new Promise((resolve) => setImmediate(resolve));
  t.is(connection.flushes, 1, 'by an immediate queued after it');
});
