// Autobahn 3: RSV1-3 must be 0 unless an extension defines them (RFC 6455 section 5.2), and
// none is negotiated here, so every non-zero RSV value fails the connection with 1002. Frames
// before the bad one are processed; nothing after it is.
import test from 'ava';
import { checkCase, fails, open, useHarness } from './support/case.ts';
import {
  binary,
  chunksOf,
  close,
  continuation,
  type FrameSpec,
  ping,
  pong,
  text,
} from './support/frames.ts';

const harness = useHarness();

const cases: ReadonlyArray<[name: string, frames: FrameSpec[], broadcasts: string[]]> = [
  ['3.1 a text frame with RSV3 (RSV = 1)', [text('Hello, world!', { rsv: 1 })], []],
  [
    '3.2 a text frame with RSV2 (RSV = 2) after a good one',
    [text('first'), text('bad', { rsv: 2 }), ping('no')],
    ['first'],
  ],
  [
    '3.3 a text frame with RSV = 3 after a good one',
    [text('first'), text('bad', { rsv: 3 }), text('never')],
    ['first'],
  ],
  [
    '3.4 a text frame with RSV1 (RSV = 4) after a good one',
    [text('first'), text('bad', { rsv: 4 })],
    ['first'],
  ],
  ['3.5 a binary frame with RSV = 5', [binary(Buffer.from([0, 1, 2]), { rsv: 5 })], []],
  ['3.6 a ping with RSV = 6', [ping('rsv ping', { rsv: 6 })], []],
  ['3.7 a close with RSV = 7', [close(1000, '', { rsv: 7 })], []],
  ['a pong with RSV1', [pong('rsv pong', { rsv: 4 })], []],
  [
    'a continuation frame with RSV1',
    [text('frag', { fin: false }), continuation('ment', { rsv: 4 })],
    [],
  ],
  ['an empty text frame with RSV2', [text('', { rsv: 2 })], []],
];

for (const [name, frames, broadcasts] of cases) {
  test.serial(`${name} is a protocol error: 1002`, async (t) => {
    await checkCase(t, harness(), frames, { end: fails(1002), broadcasts });
  });
}

test.serial('3.4 the bad frame written in 1-byte chunks is refused the same: 1002', async (t) => {
  await checkCase(
    t,
    harness(),
    {
      frames: [text('first'), text('bad', { rsv: 4 })],
      chunks: (all) => chunksOf(all, 1),
      pause: true,
    },
    { end: fails(1002), broadcasts: ['first'] },
  );
});

test.serial('RSV 0 on every kind of frame is fine (control for the cases above)', async (t) => {
  await checkCase(
    t,
    harness(),
    [text('a', { fin: false }), ping('p'), continuation('b'), pong('q')],
    {
      end: open,
      broadcasts: ['ab'],
      pongs: ['p'],
    },
  );
});
