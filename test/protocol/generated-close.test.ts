// Messages, a close frame with any payload (empty, 1 byte, every edge code, reasons valid and
// not), and then more frames: the server answers a valid close with the same code, refuses a
// bad one (1002, or 1007 for a reason that is not UTF-8), and processes nothing after it.
import assert from 'node:assert/strict';
import test from 'ava';
import { useHarness } from './support/case.ts';
import { Op } from './support/frames.ts';
import { limitsFor, predict } from './support/oracle.ts';
import { checkProperty } from './support/property.ts';
import { chunking, closingSequence } from './support/sequences.ts';

const MAX_MESSAGE_BYTES = 100;
const limits = limitsFor(MAX_MESSAGE_BYTES);
const harness = useHarness({ maxMessageBytes: MAX_MESSAGE_BYTES, batchWindowMs: 0 });

test.serial('close frames of every kind, and frames after them', async (t) => {
  await checkProperty(t, harness(), closingSequence(limits), chunking, {
    numRuns: 500,
    mustReach: ['echo', 'fail 1002', 'fail 1007'],
    minShare: 0.03,
    // Besides the oracle: what follows the close frame never changes the outcome.
    alsoCheck: (frames, prediction) => {
      const closeAt = frames.findIndex((f) => f.opcode === Op.close);
      assert.deepEqual(predict(frames.slice(0, closeAt + 1), limits), prediction);
    },
  });
});
