import test from 'ava';
import fc from 'fast-check';
import { RateLimitsByAddress, TokenBucket } from '../../../src/adapters/kit/token-bucket.ts';

test('a bucket gives its burst at once, then nothing until time refills it', (t) => {
  const bucket = new TokenBucket(2, 3, 0);
  t.deepEqual(
    [1, 2, 3, 4].map(() => bucket.take(0)),
    [true, true, true, false],
  );
  t.false(bucket.take(499), 'half a second at 2/s is not quite one token');
  t.true(bucket.take(500));
  t.false(bucket.take(500));
});

test('an idle bucket refills only up to its burst', (t) => {
  const bucket = new TokenBucket(10, 2, 0);
  t.true(bucket.take(0));
  t.true(bucket.take(0));
  t.true(bucket.isFull(60_000));
  t.deepEqual(
    [1, 2, 3].map(() => bucket.take(60_000)),
    [true, true, false],
  );
});

test('a clock that goes backwards refills nothing', (t) => {
  const bucket = new TokenBucket(1, 1, 1_000);
  t.true(bucket.take(1_000));
  t.false(bucket.take(0));
  t.false(bucket.take(1_999));
  t.true(bucket.take(2_000));
});

test('property: no window lets through more than the burst plus the rate times its length', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 100 }),
      fc.integer({ min: 1, max: 50 }),
      fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 300 }),
      (perSecond, burst, gaps) => {
        const bucket = new TokenBucket(perSecond, burst, 0);
        const accepted: number[] = [];
        let now = 0;
        for (const gap of gaps) {
          now += gap;
          if (bucket.take(now)) accepted.push(now);
        }
        for (let i = 0; i < accepted.length; i++) {
          for (let j = i; j < accepted.length; j++) {
            const span = (accepted[j] as number) - (accepted[i] as number);
            // j - i + 1 messages in `span` ms: at most the burst plus what `span` refilled.
            if (j - i + 1 > burst + (span * perSecond) / 1000 + 1e-9) return false;
          }
        }
        return true;
      },
    ),
    { numRuns: 500 },
  );
  t.pass();
});

test('property: a sender that keeps to the rate is never refused', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 100 }),
      fc.integer({ min: 1, max: 50 }),
      fc.integer({ min: 1, max: 500 }),
      (perSecond, burst, count) => {
        const bucket = new TokenBucket(perSecond, burst, 0);
        const interval = Math.ceil(1000 / perSecond);
        for (let i = 0; i < count; i++) if (!bucket.take(i * interval)) return false;
        return true;
      },
    ),
    { numRuns: 300 },
  );
  t.pass();
});

test('limits by address keep one bucket per address and forget refilled ones when crowded', (t) => {
  const limits = new RateLimitsByAddress({ perSecond: 1, burst: 1 }, 2);
  t.true(limits.take('a', 0));
  t.false(limits.take('a', 0), 'a has used its burst');
  t.true(limits.take('b', 0), 'b has its own');
  t.is(limits.size, 2);
  // At 5 s both have refilled; a third address prunes them rather than growing the map.
  t.true(limits.take('c', 5_000));
  t.is(limits.size, 1);
  t.false(limits.take('c', 5_000));
});

test('limits by address with a rate of 0 never refuse and keep nothing', (t) => {
  const limits = new RateLimitsByAddress({ perSecond: 0, burst: 1 });
  for (let i = 0; i < 100; i++) t.true(limits.take('a', 0));
  t.is(limits.size, 0);
});
