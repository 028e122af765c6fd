// Autobahn 5 (5.3-5.20): a message split over a text frame and continuation frames is one
// message; control frames may come between fragments (RFC 6455 section 5.4); a continuation
// with nothing to continue, or a new message before the last one ended, fails with 1002.
// Fragmented control frames (5.1, 5.2) are in ping-pong.test.ts, a close between fragments
// (7.1.5) in close.test.ts.
import test from 'ava';
import { checkCase, fails, open, useHarness } from './support/case.ts';
import { binary, chunksOf, continuation, ping, pong, text } from './support/frames.ts';

const harness = useHarness();

const twoFragments = [text('fragment1', { fin: false }), continuation('fragment2')];

test.serial('5.3 a text message in two fragments is broadcast as one message', async (t) => {
  await checkCase(t, harness(), twoFragments, { end: open, broadcasts: ['fragment1fragment2'] });
});

test.serial('5.4 the same, the fragments written as separate TCP writes', async (t) => {
  await checkCase(
    t,
    harness(),
    { frames: twoFragments, chunks: (all) => chunksOf(all, all.length / 2), pause: true },
    { end: open, broadcasts: ['fragment1fragment2'] },
  );
});

test.serial('5.5 the same, written one byte at a time', async (t) => {
  await checkCase(
    t,
    harness(),
    { frames: twoFragments, chunks: (all) => chunksOf(all, 1), pause: true },
    { end: open, broadcasts: ['fragment1fragment2'] },
  );
});

const withPing = [
  text('fragment1', { fin: false }),
  ping('ping payload'),
  continuation('fragment2'),
];

test.serial(
  '5.6 a ping between two fragments is answered; the message arrives whole',
  async (t) => {
    await checkCase(t, harness(), withPing, {
      end: open,
      broadcasts: ['fragment1fragment2'],
      pongs: ['ping payload'],
    });
  },
);

test.serial('5.7/5.8 the same, written in chunks of 3 bytes', async (t) => {
  await checkCase(
    t,
    harness(),
    { frames: withPing, chunks: (all) => chunksOf(all, 3), pause: true },
    { end: open, broadcasts: ['fragment1fragment2'], pongs: ['ping payload'] },
  );
});

test.serial('5.9 a final continuation frame with nothing to continue: 1002', async (t) => {
  await checkCase(t, harness(), [continuation('non-continuation payload'), text('Hello, world!')], {
    end: fails(1002),
  });
});

test.serial('5.10/5.11 the same, written one byte at a time', async (t) => {
  await checkCase(
    t,
    harness(),
    {
      frames: [continuation('non-continuation payload')],
      chunks: (all) => chunksOf(all, 1),
      pause: true,
    },
    { end: fails(1002) },
  );
});

test.serial('5.12 a non-final continuation frame with nothing to continue: 1002', async (t) => {
  await checkCase(
    t,
    harness(),
    [continuation('non-continuation', { fin: false }), continuation('x')],
    {
      end: fails(1002),
    },
  );
});

test.serial(
  '5.15 a continuation after the message already ended: 1002, the message kept',
  async (t) => {
    await checkCase(
      t,
      harness(),
      [
        text('fragment1', { fin: false }),
        continuation('fragment2'),
        continuation('fragment3', { fin: false }),
      ],
      { end: fails(1002), broadcasts: ['fragment1fragment2'] },
    );
  },
);

test.serial(
  '5.18 a new text frame before the fragmented message ended: 1002, nothing broadcast',
  async (t) => {
    await checkCase(t, harness(), [text('fragment1', { fin: false }), text('fragment2')], {
      end: fails(1002),
    });
  },
);

test.serial('a binary frame before the fragmented text message ended: 1002', async (t) => {
  await checkCase(t, harness(), [text('fragment1', { fin: false }), binary('fragment2')], {
    end: fails(1002),
  });
});

const fiveWithPings = [
  text('f1', { fin: false }),
  continuation('f2', { fin: false }),
  ping('pongme 1!'),
  continuation('f3', { fin: false }),
  continuation('f4', { fin: false }),
  ping('pongme 2!'),
  continuation('f5'),
];

test.serial('5.19 five fragments with two pings between them, paced', async (t) => {
  await checkCase(
    t,
    harness(),
    { frames: fiveWithPings, chunks: (all) => chunksOf(all, 7), pause: true },
    { end: open, broadcasts: ['f1f2f3f4f5'], pongs: ['pongme 1!', 'pongme 2!'] },
  );
});

test.serial('5.20 the same in one write, with a pong among the fragments too', async (t) => {
  await checkCase(
    t,
    harness(),
    [...fiveWithPings.slice(0, 4), pong('x'), ...fiveWithPings.slice(4)],
    {
      end: open,
      broadcasts: ['f1f2f3f4f5'],
      pongs: ['pongme 1!', 'pongme 2!'],
    },
  );
});

test.serial(
  'empty fragments at the start, middle and end make one message (6.1.2/6.1.3)',
  async (t) => {
    await checkCase(
      t,
      harness(),
      [
        text('', { fin: false }),
        continuation('', { fin: false }),
        continuation('middle', { fin: false }),
        continuation(''),
      ],
      { end: open, broadcasts: ['middle'] },
    );
  },
);

test.serial(
  'a fragmented message left unfinished is not broadcast; the connection stays open',
  async (t) => {
    await checkCase(
      t,
      harness(),
      [text('a complete one'), text('never finished', { fin: false })],
      {
        end: open,
        broadcasts: ['a complete one'],
      },
    );
  },
);
