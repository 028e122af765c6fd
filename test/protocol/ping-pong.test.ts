// Autobahn 2 (pings and pongs) and the fragmented control frames of Autobahn 5.1/5.2:
// RFC 6455 sections 5.5.2 and 5.5.3.
import test from 'ava';
import { checkCase, fails, open, useHarness } from './support/case.ts';
import { chunksOf, continuation, ping, pong, text } from './support/frames.ts';

const harness = useHarness();

const bytes = (length: number): Buffer => Buffer.from(Array.from({ length }, (_, i) => i % 256));

test.serial('2.1 a ping without payload gets a pong without payload', async (t) => {
  await checkCase(t, harness(), [ping()], { end: open, pongs: [''] });
});

test.serial('2.2 a ping with a text payload gets a pong with the same payload', async (t) => {
  await checkCase(t, harness(), [ping('Hello, world!')], { end: open, pongs: ['Hello, world!'] });
});

test.serial('2.3 a ping with a binary payload gets a pong with the same bytes', async (t) => {
  const payload = Buffer.from([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff]);
  await checkCase(t, harness(), [ping(payload)], { end: open, pongs: [payload] });
});

test.serial('2.4 a ping of 125 bytes, the most a control frame holds, gets its pong', async (t) => {
  await checkCase(t, harness(), [ping(bytes(125))], { end: open, pongs: [bytes(125)] });
});

test.serial('2.5 a ping of 126 bytes is a protocol error: 1002, no pong', async (t) => {
  await checkCase(t, harness(), [ping(bytes(126))], { end: fails(1002) });
});

test.serial('2.6 a 125-byte ping written one byte at a time gets its pong', async (t) => {
  await checkCase(
    t,
    harness(),
    { frames: [ping(bytes(125))], chunks: (all) => chunksOf(all, 1), pause: true },
    { end: open, pongs: [bytes(125)] },
  );
});

test.serial('2.7 an unsolicited pong without payload is ignored', async (t) => {
  await checkCase(t, harness(), [pong(), text('after the pong')], {
    end: open,
    broadcasts: ['after the pong'],
  });
});

test.serial('2.8 an unsolicited pong with payload is ignored', async (t) => {
  await checkCase(t, harness(), [pong('unsolicited pong payload'), text('still here')], {
    end: open,
    broadcasts: ['still here'],
  });
});

test.serial('2.9 an unsolicited pong, then a ping: only the ping is answered', async (t) => {
  await checkCase(t, harness(), [pong('unsolicited'), ping('solicited')], {
    end: open,
    pongs: ['solicited'],
  });
});

test.serial('2.10 ten pings in one write get ten pongs, in order', async (t) => {
  const payloads = Array.from({ length: 10 }, (_, i) => `payload-${i}`);
  await checkCase(
    t,
    harness(),
    payloads.map((p) => ping(p)),
    { end: open, pongs: payloads },
  );
});

test.serial('2.11 ten pings written one by one get ten pongs, in order', async (t) => {
  const payloads = Array.from({ length: 10 }, (_, i) => `payload-${i}`);
  await checkCase(
    t,
    harness(),
    {
      frames: payloads.map((p) => ping(p)),
      chunks: (all) => chunksOf(all, all.length / 10),
      pause: true,
    },
    { end: open, pongs: payloads },
  );
});

test.serial('5.1 a ping split into two fragments is a protocol error: 1002', async (t) => {
  await checkCase(t, harness(), [ping('frag', { fin: false }), continuation('ment')], {
    end: fails(1002),
  });
});

test.serial('5.2 a pong split into two fragments is a protocol error: 1002', async (t) => {
  await checkCase(t, harness(), [pong('frag', { fin: false }), continuation('ment')], {
    end: fails(1002),
  });
});

test.serial(
  'a ping whose 16-bit length field says 5 is still a control frame over 7 bits: 1002',
  async (t) => {
    await checkCase(t, harness(), [ping('hello', { encoding: 16 })], { end: fails(1002) });
  },
);

test.serial('pings answered before a protocol error still get their pongs, in order', async (t) => {
  await checkCase(t, harness(), [ping('one'), text('hi'), ping('two'), ping(bytes(126))], {
    end: fails(1002),
    broadcasts: ['hi'],
    pongs: ['one', 'two'],
  });
});
