// Autobahn 6: text messages must be valid UTF-8 (RFC 6455 sections 5.6 and 8.1) or the
// connection fails with 1007. Validity belongs to the whole message: a code point may be split
// across fragments, and a fault may only appear once the fragments are joined.
import test from 'ava';
import { checkCase, fails, open, useHarness } from './support/case.ts';
import { chunksOf, continuation, type FrameSpec, ping, text } from './support/frames.ts';

const harness = useHarness();

const hex = (bytes: string): Buffer => Buffer.from(bytes.replaceAll(' ', ''), 'hex');

/** One frame per byte: the first a text frame, the rest continuations, the last final. */
const bytewise = (payload: Buffer): FrameSpec[] =>
  [...payload].map((byte, i) =>
    (i === 0 ? text : continuation)(Buffer.from([byte]), { fin: i === payload.length - 1 }),
  );

const VALID: ReadonlyArray<[name: string, bytes: Buffer]> = [
  ['6.2.1 Hello-µ@ßöäüàá-UTF-8!!', Buffer.from('Hello-µ@ßöäüàá-UTF-8!!')],
  ['6.5.1 κόσμε', Buffer.from('κόσμε')],
  [
    '6.7 first code points of each length (U+0000, U+0080, U+0800, U+10000)',
    hex('00 c280 e0a080 f0908080'),
  ],
  [
    '6.9 last code points of each length (U+007F, U+07FF, U+FFFF, U+10FFFF)',
    hex('7f dfbf efbfbf f48fbfbf'),
  ],
  ['6.11 around the surrogates and the top (U+D7FF, U+E000, U+FFFD)', hex('ed9fbf ee8080 efbfbd')],
  ['6.22 noncharacters are valid (U+FFFE, U+1FFFF, U+10FFFE)', hex('efbfbe f09fbfbf f48fbfbe')],
  ['4-byte code points: emoji and a CJK extension', Buffer.from('😀🎉𠜎')],
];

for (const [name, bytes] of VALID) {
  test.serial(`valid: ${name} is broadcast intact`, async (t) => {
    await checkCase(t, harness(), [text(bytes)], { end: open, broadcasts: [bytes] });
  });
}

test.serial(
  '6.2.3/6.2.4 one fragment per byte: 4-byte code points reassembled intact',
  async (t) => {
    const bytes = Buffer.from('κόσμε 😀 \u{10ffff}');
    await checkCase(t, harness(), bytewise(bytes), { end: open, broadcasts: [bytes] });
  },
);

for (const at of [1, 2, 3]) {
  test.serial(
    `a 4-byte code point split ${at}|${4 - at} across fragments, a ping between: intact`,
    async (t) => {
      const bytes = Buffer.from('a😀b');
      const frames = [
        text(bytes.subarray(0, 1 + at), { fin: false }),
        ping('mid'),
        continuation(bytes.subarray(1 + at)),
      ];
      await checkCase(t, harness(), frames, { end: open, broadcasts: [bytes], pongs: ['mid'] });
    },
  );
}

test.serial('6.2.2 code points split across TCP writes at every byte: intact', async (t) => {
  const bytes = Buffer.from('Hello-µ@ßöäüàá-UTF-8!! 😀');
  await checkCase(
    t,
    harness(),
    { frames: [text(bytes)], chunks: (all) => chunksOf(all, 1), pause: true },
    { end: open, broadcasts: [bytes] },
  );
});

const INVALID: ReadonlyArray<[name: string, bytes: Buffer]> = [
  [
    '6.3.1 κόσμε with a UTF-16 surrogate (ED A0 80) inside',
    hex('cebae1bdb9cf83cebcceb5 eda080 656469746564'),
  ],
  ['6.6 κόσμε cut inside its last code point', hex('cebae1bdb9cf83cebcce')],
  ['6.8 a 5-byte sequence (F8 88 80 80 80)', hex('f888808080')],
  ['6.10 past U+10FFFF (F4 90 80 80)', hex('f4908080')],
  ['6.12 a lone continuation byte (80)', hex('41 80 42')],
  ['6.13 a lone start byte followed by a space (C0 20)', hex('c020')],
  ['6.14 a 3-byte sequence with its last byte missing (E2 82)', hex('41e282')],
  ['6.16 impossible bytes (FE, FF)', hex('fe ff')],
  ['6.17 an overlong slash (C0 AF, E0 80 AF)', hex('c0af e080af')],
  ['6.19 an overlong NUL (F0 80 80 80)', hex('f0808080')],
  ['6.20 a single high surrogate (ED AF BF)', hex('edafbf')],
  ['6.21 a surrogate pair in CESU-8 (ED A0 80 ED B0 80)', hex('eda080edb080')],
];

for (const [name, bytes] of INVALID) {
  test.serial(`invalid: ${name} closes with 1007, nothing broadcast`, async (t) => {
    await checkCase(t, harness(), [text(bytes), text('never')], { end: fails(1007) });
  });
}

test.serial(
  'invalid only once joined: a 4-byte start at the end of one fragment, ASCII next: 1007',
  async (t) => {
    const frames = [text(hex('61 f09f98'), { fin: false }), continuation('x')];
    await checkCase(t, harness(), frames, { end: fails(1007) });
  },
);

test.serial(
  'invalid only once joined: ED then A0 80 (a surrogate) in the next fragment: 1007',
  async (t) => {
    const frames = [text(hex('6f6b ed'), { fin: false }), continuation(hex('a080'))];
    await checkCase(t, harness(), frames, { end: fails(1007) });
  },
);

test.serial(
  '6.4 a fault in a middle fragment fails the message: 1007, earlier messages kept',
  async (t) => {
    const frames = [
      text('fine'),
      text('κόσμε', { fin: false }),
      continuation(hex('f4908080'), { fin: false }),
      continuation('edited'),
    ];
    await checkCase(t, harness(), frames, { end: fails(1007), broadcasts: ['fine'] });
  },
);
