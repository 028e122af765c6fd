import test from 'ava';
import fc from 'fast-check';
import { MessageRing } from '../../../src/adapters/memory/message-ring.ts';

test('a ring holds the last `capacity` messages and reads any range of them', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 8 }),
      fc.nat(30),
      fc.nat(35),
      fc.nat(35),
      (capacity, count, from, until) => {
        const ring = new MessageRing<{ seq: number }>(capacity);
        for (let seq = 1; seq <= count; seq++) ring.push({ seq });
        const held = Array.from({ length: count }, (_, i) => i + 1).slice(-capacity);
        t.is(ring.size, held.length);
        t.is(ring.oldestSeq, held[0]);
        t.deepEqual(
          ring.range(from, until).map((m) => m.seq),
          held.filter((seq) => seq >= from && seq < until),
        );
        ring.clear();
        t.is(ring.size, 0);
        t.deepEqual(ring.range(0, 100), []);
      },
    ),
    { numRuns: 1_000 },
  );
});

test('a message out of order is refused', (t) => {
  const ring = new MessageRing<{ seq: number }>(4);
  ring.push({ seq: 5 });
  t.throws(() => ring.push({ seq: 7 }), { instanceOf: RangeError });
});
