import test from 'ava';
import fc from 'fast-check';
import { dedupe, dedupeKey } from '../../../src/domain/rooms/index.ts';

test('a repeat within the window answers the first seq; at or after the window it is fresh', (t) => {
  fc.assert(
    fc.property(
      fc.nat(1_000_000),
      fc.nat(1_000_000),
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.nat(),
      (firstAt, later, windowMs, seq) => {
        const at = firstAt + later;
        const answer = dedupe({ seq, at: firstAt }, at, windowMs);
        if (later < windowMs) t.deepEqual(answer, { kind: 'repeat', seq });
        else t.deepEqual(answer, { kind: 'fresh' });
      },
    ),
    { numRuns: 2_000 },
  );
});

test('an id never seen is fresh', (t) => {
  t.deepEqual(dedupe(undefined, 5, 300_000), { kind: 'fresh' });
});

test('keys differ whenever room, name or id differ, however the parts are split', (t) => {
  fc.assert(
    fc.property(
      fc.tuple(fc.string(), fc.string(), fc.string()),
      fc.tuple(fc.string(), fc.string(), fc.string()),
      (a, b) => {
        const same = a.every((part, i) => part === b[i]);
        t.is(dedupeKey(...a) === dedupeKey(...b), same);
      },
    ),
    { numRuns: 2_000 },
  );
});
