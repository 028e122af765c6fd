// Autobahn 9 scaled to this server's limits (docs/protocol.md): a message over
// --max-message-bytes closes with 1009 "message too large" once it has arrived; a frame whose
// length alone takes the message over ws's maxPayload (6 x max + 64) is refused with 1009 from
// its header, before any payload; a 64-bit length with the top bit set (forbidden by RFC 6455
// section 5.2) gets 1002 or 1009. Only headers are sent for those: the server must not wait.
import test from 'ava';
import { checkCase, fails, failsWithOneOf, open, useHarness } from './support/case.ts';
import { binary, continuation, ping, text } from './support/frames.ts';

const harness = useHarness(); // the default limit: 512 bytes, maxPayload 3136
const small = useHarness({ maxMessageBytes: 16 }); // maxPayload 160

const TOO_LARGE = 'message too large';

/** `bytes` bytes of UTF-8 mixing 1- to 4-byte characters. */
const utf8Of = (bytes: number): Buffer => {
  const unit = Buffer.from('a€é😀'); // 10 bytes
  return Buffer.concat([
    Buffer.alloc(bytes % 10, 0x61),
    ...Array(Math.floor(bytes / 10)).fill(unit),
  ]);
};

/** A data frame that announces `length` bytes and sends none of them. */
const headerOnly = (make: typeof text, length: bigint, fin = true) =>
  make(Buffer.alloc(0), { announced: length, fin });

test.serial('a 512-byte message, exactly the limit, is broadcast', async (t) => {
  await checkCase(t, harness(), [text(utf8Of(512))], { end: open, broadcasts: [utf8Of(512)] });
});

test.serial('a 513-byte message closes with 1009 "message too large", not broadcast', async (t) => {
  await checkCase(t, harness(), [text('before'), text(utf8Of(513)), text('after')], {
    end: fails(1009, TOO_LARGE),
    broadcasts: ['before'],
  });
});

test.serial(
  '512 bytes in three fragments with pings between: broadcast (pings do not count)',
  async (t) => {
    const whole = utf8Of(512);
    const frames = [
      text(whole.subarray(0, 200), { fin: false }),
      ping(Buffer.alloc(125, 1)),
      continuation(whole.subarray(200, 400), { fin: false }),
      ping(Buffer.alloc(125, 2)),
      continuation(whole.subarray(400)),
    ];
    await checkCase(t, harness(), frames, {
      end: open,
      broadcasts: [whole],
      pongs: [Buffer.alloc(125, 1), Buffer.alloc(125, 2)],
    });
  },
);

test.serial('513 bytes in three fragments: 1009 "message too large"', async (t) => {
  const whole = utf8Of(513);
  const frames = [
    text(whole.subarray(0, 200), { fin: false }),
    continuation(whole.subarray(200, 400), { fin: false }),
    continuation(whole.subarray(400)),
  ];
  await checkCase(t, harness(), frames, { end: fails(1009, TOO_LARGE) });
});

test.serial(
  'a message of exactly maxPayload (3136 bytes) is read, then refused: 1009 "message too large"',
  async (t) => {
    await checkCase(t, harness(), [text(utf8Of(3136))], { end: fails(1009, TOO_LARGE) });
  },
);

for (const [name, length] of [
  ['maxPayload + 1 (3137, 16-bit length)', 3137n],
  ['65535 (the largest 16-bit length)', 65_535n],
  ['2^32 (64-bit length)', 2n ** 32n],
  ['2^53 - 1 (the largest exact JavaScript number)', 2n ** 53n - 1n],
  ['2^53', 2n ** 53n],
  ['2^63 - 1 (the largest legal 64-bit length)', 2n ** 63n - 1n],
] as const) {
  test.serial(`a frame announcing ${name} bytes is refused from its header: 1009`, async (t) => {
    await checkCase(t, harness(), [text('before'), headerOnly(text, length)], {
      end: fails(1009),
      broadcasts: ['before'],
    });
  });
}

for (const length of [2n ** 63n, 2n ** 64n - 1n]) {
  test.serial(`a 64-bit length with the top bit set (${length}): 1002 or 1009`, async (t) => {
    await checkCase(t, harness(), [headerOnly(text, length)], {
      end: failsWithOneOf([1002, 1009]),
    });
  });
}

test.serial(
  'small fragments adding up to more than maxPayload: 1009 at the fragment that crosses it',
  async (t) => {
    const kilobyte = Buffer.alloc(1000, 0x61);
    const frames = [
      text(kilobyte, { fin: false }),
      continuation(kilobyte, { fin: false }),
      continuation(kilobyte, { fin: false }),
      headerOnly(continuation, 1000n),
    ];
    await checkCase(t, harness(), frames, { end: fails(1009) });
  },
);

test.serial(
  'a binary frame over maxPayload is refused as too big (1009) before it is a binary (1003)',
  async (t) => {
    await checkCase(t, harness(), [headerOnly(binary, 100_000n)], { end: fails(1009) });
  },
);

test.serial(
  '--max-message-bytes 16: 16 bytes pass, 17 bytes close with 1009 "message too large"',
  async (t) => {
    await checkCase(t, small(), [text(utf8Of(16)), text(utf8Of(17))], {
      end: fails(1009, TOO_LARGE),
      broadcasts: [utf8Of(16)],
    });
  },
);

test.serial(
  '--max-message-bytes 16: maxPayload is 160; a frame announcing 161 bytes is refused: 1009',
  async (t) => {
    await checkCase(t, small(), [text(Buffer.alloc(160, 0x61))], { end: fails(1009, TOO_LARGE) });
    await checkCase(t, small(), [headerOnly(text, 161n)], { end: fails(1009) });
  },
);
