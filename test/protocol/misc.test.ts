// Autobahn 10 and what is particular to this server: clients must mask every frame (RFC 6455
// section 5.1, 1002 otherwise); binary messages are refused with 1003 (docs/protocol.md);
// permessage-deflate (Autobahn 12/13) is off, so an offer is not accepted and a frame with
// RSV1 (a "compressed" one) is a protocol error.
import { deflateRawSync } from 'node:zlib';
import test from 'ava';
import { checkCase, fails, useHarness } from './support/case.ts';
import { binary, close, continuation, ping, text } from './support/frames.ts';

const harness = useHarness();

const BINARY = 'binary messages are not accepted';

test.serial('an unmasked text frame is a protocol error: 1002, not broadcast', async (t) => {
  await checkCase(t, harness(), [text('hi', { mask: undefined })], { end: fails(1002) });
});

test.serial(
  'an unmasked frame after a masked one: the first is broadcast, then 1002',
  async (t) => {
    await checkCase(t, harness(), [text('masked'), text('unmasked', { mask: undefined })], {
      end: fails(1002),
      broadcasts: ['masked'],
    });
  },
);

test.serial('an unmasked ping gets no pong: 1002', async (t) => {
  await checkCase(t, harness(), [ping('p', { mask: undefined })], { end: fails(1002) });
});

test.serial('an unmasked close is not echoed: 1002', async (t) => {
  await checkCase(t, harness(), [close(1000, '', { mask: undefined })], { end: fails(1002) });
});

test.serial('an unmasked continuation frame in a fragmented message: 1002', async (t) => {
  await checkCase(
    t,
    harness(),
    [text('a', { fin: false }), continuation('b', { mask: undefined })],
    {
      end: fails(1002),
    },
  );
});

test.serial('a binary message closes with 1003 and is not broadcast', async (t) => {
  await checkCase(t, harness(), [binary(Buffer.from([0, 1, 2, 0xff]))], {
    end: fails(1003, BINARY),
  });
});

test.serial('an empty binary message closes with 1003', async (t) => {
  await checkCase(t, harness(), [binary(Buffer.alloc(0))], { end: fails(1003, BINARY) });
});

test.serial('a fragmented binary message with a ping inside: the pong, then 1003', async (t) => {
  const frames = [binary('ab', { fin: false }), ping('in between'), continuation('cd')];
  await checkCase(t, harness(), frames, { end: fails(1003, BINARY), pongs: ['in between'] });
});

test.serial('text after a binary message in the same write is not broadcast', async (t) => {
  await checkCase(t, harness(), [text('before'), binary('x'), text('after'), ping('late')], {
    end: fails(1003, BINARY),
    broadcasts: ['before'],
  });
});

test.serial(
  'a permessage-deflate offer is not accepted, and a compressed (RSV1) frame is refused: 1002',
  async (t) => {
    const compressed = deflateRawSync(Buffer.from('Hello, compressed world'));
    const observation = await checkCase(
      t,
      harness(),
      {
        frames: [text(compressed, { rsv: 4 })],
        headers: 'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n',
      },
      { end: fails(1002) },
    );
    t.notRegex(observation.handshake, /sec-websocket-extensions/i);
  },
);
