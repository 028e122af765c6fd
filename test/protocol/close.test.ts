// Autobahn 7: the closing handshake (RFC 6455 sections 5.5.1, 7.1.5, 7.4). The server answers
// a valid close with a close carrying the same code (none for an empty one) and closes the TCP
// connection (the harness waits for that); it processes nothing after a close; a malformed close
// fails the connection: 1002 for a bad code or a 1-byte payload, 1007 for a reason not in UTF-8.
import test from 'ava';
import { checkCase, echoes, fails, useHarness } from './support/case.ts';
import {
  chunksOf,
  close,
  closePayload,
  continuation,
  frame,
  Op,
  ping,
  text,
} from './support/frames.ts';

const harness = useHarness();

test.serial(
  '7.1.1 a text message, then a close: the message is broadcast, 1000 echoed',
  async (t) => {
    await checkCase(t, harness(), [text('Hello World!'), close(1000)], {
      end: echoes(1000),
      broadcasts: ['Hello World!'],
    });
  },
);

test.serial('7.1.2 two closes: the first is answered, the second ignored', async (t) => {
  await checkCase(t, harness(), [close(1000), close(1001)], { end: echoes(1000) });
});

test.serial('7.1.3 a ping after the close is not answered', async (t) => {
  await checkCase(t, harness(), [close(1000), ping('too late')], { end: echoes(1000) });
});

test.serial('7.1.4 a text message after the close is not broadcast (same write)', async (t) => {
  await checkCase(t, harness(), [close(1000), text('too late')], { end: echoes(1000) });
});

test.serial(
  '7.1.4 a text message after the close is not broadcast (separate writes)',
  async (t) => {
    const frames = [close(1000), text('too late'), text('later still')];
    await checkCase(
      t,
      harness(),
      {
        frames,
        chunks: (all) => [all.subarray(0, 8), ...chunksOf(all.subarray(8), 3)],
        pause: true,
      },
      { end: echoes(1000) },
    );
  },
);

test.serial('7.1.5 a close between fragments: answered, the message never broadcast', async (t) => {
  await checkCase(
    t,
    harness(),
    [text('fragment1', { fin: false }), close(1000), continuation('fragment2')],
    {
      end: echoes(1000),
    },
  );
});

test.serial('7.3.1 a close without payload is answered with a close without payload', async (t) => {
  await checkCase(t, harness(), [close()], { end: echoes(undefined) });
});

test.serial('7.3.2 a close with a 1-byte payload is a protocol error: 1002', async (t) => {
  await checkCase(t, harness(), [frame(Op.close, Buffer.from([0x03]))], { end: fails(1002) });
});

test.serial('7.3.3 a close with a code and no reason: the code is echoed', async (t) => {
  await checkCase(t, harness(), [close(1000)], { end: echoes(1000) });
});

test.serial('7.3.4 a close with a code and a reason: the code is echoed', async (t) => {
  await checkCase(t, harness(), [close(1000, 'Hello World!')], { end: echoes(1000) });
});

test.serial('7.3.5 a close with a 123-byte reason (125-byte payload) is answered', async (t) => {
  await checkCase(t, harness(), [close(1000, '*'.repeat(123))], { end: echoes(1000) });
});

test.serial(
  '7.3.6 a close with a 124-byte reason (126-byte payload) is a protocol error: 1002',
  async (t) => {
    await checkCase(t, harness(), [close(1000, '*'.repeat(124))], { end: fails(1002) });
  },
);

test.serial('7.5.1 a close whose reason is not UTF-8 fails with 1007', async (t) => {
  const reason = Buffer.from('cebae1bdb9cf83cebcceb5eda080656469746564', 'hex');
  await checkCase(t, harness(), [frame(Op.close, closePayload(1000, reason))], {
    end: fails(1007),
  });
});

test.serial('a close reason of valid multi-byte UTF-8 is fine', async (t) => {
  await checkCase(t, harness(), [close(1001, 'au revoir 😀')], { end: echoes(1001) });
});

// 7.7: codes a client may send, including the IANA-registered 1012-1014.
const VALID_CODES = [
  1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999,
];
for (const code of VALID_CODES) {
  test.serial(`7.7 close code ${code} is echoed`, async (t) => {
    await checkCase(t, harness(), [close(code, 'bye')], { end: echoes(code) });
  });
}

// 7.9 and more: codes that are reserved, unassigned, or must never appear on the wire.
const INVALID_CODES = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65_535];
for (const code of INVALID_CODES) {
  test.serial(`7.9 close code ${code} is a protocol error: 1002`, async (t) => {
    await checkCase(t, harness(), [text('before'), close(code)], {
      end: fails(1002),
      broadcasts: ['before'],
    });
  });
}
