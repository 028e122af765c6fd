// Text messages built from UTF-8 edge cases (boundary code points, overlong forms, surrogates,
// code points past U+10FFFF, truncated sequences, stray continuation bytes), fragmented at any
// byte, in random TCP writes: valid ones are broadcast intact, an invalid one closes with 1007,
// whether the fault sits in one fragment or only appears once the fragments are joined.
import assert from 'node:assert/strict';
import test from 'ava';
import { useHarness } from './support/case.ts';
import { messagesIn } from './support/frames.ts';
import { limitsFor } from './support/oracle.ts';
import { checkProperty } from './support/property.ts';
import { chunking, utf8Sequence } from './support/sequences.ts';

const MAX_MESSAGE_BYTES = 100;
const harness = useHarness({ maxMessageBytes: MAX_MESSAGE_BYTES, batchWindowMs: 0 });

test.serial(
  'edge UTF-8 in fragments: valid broadcast intact, invalid closed with 1007',
  async (t) => {
    await checkProperty(t, harness(), utf8Sequence(limitsFor(MAX_MESSAGE_BYTES)), chunking, {
      numRuns: 600,
      mustReach: ['open', 'fail 1007'],
      minShare: 0.1,
      // Besides the oracle: a 1007 means some message really was not UTF-8 (by TextDecoder),
      // the first such one, right after those broadcast. Each message is judged on its own:
      // joined, <c3> and then <80> would read as a valid U+00C0.
      alsoCheck: (frames, prediction) => {
        if (prediction.end.kind !== 'fail' || !prediction.end.codes.includes(1007)) return;
        const decoder = new TextDecoder('utf-8', { fatal: true });
        const firstInvalid = messagesIn(frames).findIndex((message) => {
          try {
            decoder.decode(message);
            return false;
          } catch {
            return true;
          }
        });
        assert.notEqual(firstInvalid, -1, 'a 1007 with every message valid UTF-8');
        assert.equal(firstInvalid, prediction.broadcasts.length);
      },
    });
  },
);
