// Well-formed traffic only: text messages of valid UTF-8 within the limit, fragmented at random
// points (inside code points too, with empty fragments), pings and pongs between fragments and
// between messages, cut into random TCP writes. Every message must be broadcast intact, every
// ping answered, and the connection must stay open.
import assert from 'node:assert/strict';
import test from 'ava';
import { useHarness } from './support/case.ts';
import { messagesIn, Op } from './support/frames.ts';
import { limitsFor } from './support/oracle.ts';
import { checkProperty } from './support/property.ts';
import { chunking, validSequence } from './support/sequences.ts';

const MAX_MESSAGE_BYTES = 100;
const harness = useHarness({ maxMessageBytes: MAX_MESSAGE_BYTES, batchWindowMs: 0 });

test.serial(
  'well-formed fragmented traffic: every message broadcast whole, the connection open',
  async (t) => {
    await checkProperty(t, harness(), validSequence(limitsFor(MAX_MESSAGE_BYTES)), chunking, {
      numRuns: 800,
      mustReach: ['open'],
      minShare: 1,
      // Besides the oracle: every message sent is broadcast, every ping answered.
      alsoCheck: (frames, prediction) => {
        assert.deepEqual(prediction.broadcasts, messagesIn(frames));
        const pings = frames.filter((f) => f.opcode === Op.ping).map((f) => f.payload);
        assert.deepEqual(prediction.pongs, pings);
      },
    });
  },
);
