// Random frame sequences of every kind (any opcode 0-15, RSV bits, FIN, mask or none, payloads
// of edge UTF-8 or random bytes, lengths around both limits and far past them, broken and
// well-formed fragment sequences, close frames), cut into random TCP writes: the server must do
// what the reference oracle (support/oracle.ts) predicts, every time, and keep serving.
import test from 'ava';
import { useHarness } from './support/case.ts';
import { limitsFor } from './support/oracle.ts';
import { checkProperty } from './support/property.ts';
import { anySequence, chunking } from './support/sequences.ts';

const MAX_MESSAGE_BYTES = 100; // so that both limits (100 and 6 x 100 + 64) are cheap to reach
const harness = useHarness({ maxMessageBytes: MAX_MESSAGE_BYTES, batchWindowMs: 0 });

test.serial(
  'any frame sequence, in any TCP chunking: the server does what the oracle says',
  async (t) => {
    await checkProperty(t, harness(), anySequence(limitsFor(MAX_MESSAGE_BYTES)), chunking, {
      numRuns: 1200,
      mustReach: [
        'open',
        'echo',
        'fail 1002',
        'fail 1003 (hubbub)',
        'fail 1007',
        'fail 1009',
        'fail 1009 (hubbub)',
      ],
    });
  },
);
