// Autobahn 1.1 (text messages of boundary lengths, whole and in chunks) and the three length
// encodings of RFC 6455 section 5.2. Binary messages (Autobahn 1.2) are refused by this server:
// see misc.test.ts.
import test from 'ava';
import { checkCase, open, useHarness } from './support/case.ts';
import { chunksOf, continuation, DEFAULT_MASK, encodeFrame, text } from './support/frames.ts';

// Room for a 65536-byte message, the first that needs the 64-bit length.
const harness = useHarness({ maxMessageBytes: 70_000 });

/** `length` bytes of printable ASCII, varied so a misplaced byte shows. */
const payloadOf = (length: number): string =>
  Array.from({ length }, (_, i) => String.fromCharCode(0x21 + (i % 94))).join('');

for (const length of [0, 1, 125, 126, 127, 128, 65_535, 65_536]) {
  test.serial(`a text message of ${length} bytes is broadcast intact (one frame)`, async (t) => {
    const message = payloadOf(length);
    const frame = text(message);
    const header = encodeFrame(frame).subarray(0, 2);
    t.is(header[1] ?? 0, 0x80 | (length < 126 ? length : length < 65_536 ? 126 : 127));
    await checkCase(t, harness(), [frame], { end: open, broadcasts: [message] });
  });
}

test.serial('a 65536-byte text message written in chunks of 997 bytes arrives whole', async (t) => {
  const message = payloadOf(65_536);
  await checkCase(
    t,
    harness(),
    { frames: [text(message)], chunks: (bytes) => chunksOf(bytes, 997), pause: true },
    { end: open, broadcasts: [message] },
  );
});

test.serial('a 127-byte text message written one byte at a time arrives whole', async (t) => {
  const message = payloadOf(127);
  await checkCase(
    t,
    harness(),
    { frames: [text(message)], chunks: (bytes) => chunksOf(bytes, 1), pause: true },
    { end: open, broadcasts: [message] },
  );
});

test.serial(
  '10.1.1 a 65536-byte message in 1300-byte fragments arrives as one message',
  async (t) => {
    const message = payloadOf(65_536);
    const pieces = chunksOf(Buffer.from(message), 1300);
    const frames = pieces.map((piece, i) =>
      (i === 0 ? text : continuation)(piece, { fin: i === pieces.length - 1 }),
    );
    await checkCase(t, harness(), frames, { end: open, broadcasts: [message] });
  },
);

test.serial('several frames in one TCP write are several messages, in order', async (t) => {
  const messages = ['one', payloadOf(126), '', 'four'];
  await checkCase(
    t,
    harness(),
    messages.map((m) => text(m)),
    { end: open, broadcasts: messages },
  );
});

// RFC 6455 asks senders for the minimal length encoding; receivers may accept longer ones.
test.serial(
  'lengths in the 16-bit and 64-bit fields are read even when 7 bits would do',
  async (t) => {
    await checkCase(
      t,
      harness(),
      [text('sixteen', { encoding: 16 }), text('sixty-four', { encoding: 64 })],
      {
        end: open,
        broadcasts: ['sixteen', 'sixty-four'],
      },
    );
  },
);

test.serial('a 300-byte message with a 64-bit length field is read correctly', async (t) => {
  const message = payloadOf(300);
  await checkCase(t, harness(), [text(message, { encoding: 64 })], {
    end: open,
    broadcasts: [message],
  });
});

test.serial('an all-zero masking key is a valid mask', async (t) => {
  await checkCase(t, harness(), [text('zero mask', { mask: Buffer.alloc(4) })], {
    end: open,
    broadcasts: ['zero mask'],
  });
});

test.serial('each frame may use its own masking key', async (t) => {
  const keys = [DEFAULT_MASK, Buffer.from([1, 2, 3, 4]), Buffer.from([0xff, 0, 0xff, 0])];
  await checkCase(
    t,
    harness(),
    keys.map((mask, i) => text(`key ${i}`, { mask })),
    {
      end: open,
      broadcasts: ['key 0', 'key 1', 'key 2'],
    },
  );
});
