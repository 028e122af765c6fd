import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { Opcode, RawWsClient } from '../support/raw-ws.ts';
import { within } from '../support/ws-client.ts';

// RFC 6455 7.1.7: an endpoint that fails the connection sends its close frame and closes the
// TCP connection, without processing anything more. A client that goes on with half a frame
// must not hold its socket until a timeout (the write deadline is 10 s here).
test('a refused client is cut at once, even with half a frame still on its way', async (t) => {
  const server = await startServer({ maxMessageBytes: 100 });
  t.teardown(() => server.stop());
  const client = await RawWsClient.open(server.port);
  t.teardown(() => client.destroy());
  const ping = RawWsClient.maskedFrame(Opcode.ping, Buffer.alloc(125, 0x61));
  client.socket.write(
    Buffer.concat([
      RawWsClient.maskedFrame(Opcode.text, 'x'.repeat(101)), // over --max-message-bytes
      ping.subarray(0, 60), // a ping frame, cut short: ws would wait for the rest
    ]),
  );
  await within(client.ended, 'the server to close the TCP connection', 3_000);
  const close = client.frames.find((frame) => frame.opcode === Opcode.close);
  t.is(close?.payload.readUInt16BE(0), 1009);
  t.is(client.frames.at(-1)?.opcode, Opcode.close, 'nothing after the close frame');
});
