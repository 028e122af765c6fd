// Autobahn 4: opcodes 3-7 (reserved non-control) and 11-15 (reserved control) have no meaning
// without an extension (RFC 6455 section 5.2): the connection fails with 1002, frames before
// are processed, nothing after.
import test from 'ava';
import { checkCase, fails, useHarness } from './support/case.ts';
import { frame, ping, text } from './support/frames.ts';

const harness = useHarness();

for (const opcode of [3, 4, 5, 6, 7]) {
  test.serial(`4.1 reserved non-control opcode ${opcode} is a protocol error: 1002`, async (t) => {
    // As Autobahn: alone and empty, with a payload, after a good message, followed by a ping.
    const frames =
      opcode === 3
        ? [frame(opcode)]
        : opcode === 4
          ? [frame(opcode, 'reserved payload')]
          : [text('before'), frame(opcode, 'reserved'), ping('after')];
    await checkCase(t, harness(), frames, {
      end: fails(1002),
      broadcasts: opcode >= 5 ? ['before'] : [],
    });
  });
}

for (const opcode of [11, 12, 13, 14, 15]) {
  test.serial(`4.2 reserved control opcode ${opcode} is a protocol error: 1002`, async (t) => {
    const frames =
      opcode === 11
        ? [frame(opcode)]
        : opcode === 12
          ? [frame(opcode, 'reserved payload')]
          : [text('before'), frame(opcode, 'reserved'), ping('after')];
    await checkCase(t, harness(), frames, {
      end: fails(1002),
      broadcasts: opcode >= 13 ? ['before'] : [],
    });
  });
}

test.serial('a reserved opcode without FIN is refused just the same: 1002', async (t) => {
  await checkCase(t, harness(), [frame(5, 'x', { fin: false }), frame(0, 'y')], {
    end: fails(1002),
  });
});

test.serial(
  'a reserved opcode in the middle of a fragmented message: 1002, nothing broadcast',
  async (t) => {
    await checkCase(t, harness(), [text('frag', { fin: false }), frame(6, 'x'), frame(0, 'ment')], {
      end: fails(1002),
    });
  },
);
