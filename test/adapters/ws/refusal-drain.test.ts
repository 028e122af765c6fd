import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { Opcode, RawWsClient } from '../support/raw-ws.ts';
import { waitUntil } from '../support/ws-client.ts';

// The original drains a client's send channel before its close message: a client refused for
// its third message still gets the two the hub accepted, even while they wait in the batch window.
test('a refused client gets everything broadcast before the refusal, then the close frame', async (t) => {
  const server = await startServer({ rateLimit: 1, rateLimitBurst: 2, batchWindowMs: 500 });
  t.teardown(() => server.stop());
  const client = await RawWsClient.open(server.port);
  t.teardown(() => client.destroy());
  client.socket.write(
    Buffer.concat(
      ['one', 'two', 'three'].map((text) => RawWsClient.maskedFrame(Opcode.text, text)),
    ),
  );
  await waitUntil(
    () => client.frames.some((frame) => frame.opcode === Opcode.close),
    'the close frame',
  );
  const texts = client.frames
    .filter((frame) => frame.opcode === Opcode.text)
    .map((frame) => frame.payload.toString());
  t.deepEqual(texts, ['one', 'two']);
  const close = client.frames.at(-1);
  t.is(close?.opcode, Opcode.close);
  t.is(close?.payload.readUInt16BE(0), 1008);
});
