import { connect } from 'node:net';
import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { Opcode, RawWsClient } from '../support/raw-ws.ts';
import { connectRegistered, isOverflowed, waitUntil } from '../support/ws-client.ts';

// Issue 11, finding 5: an evicted or refused WebSocket client's socket used to linger until
// the write timeout (10 s by default), with megabytes queued, and keep its per-address place.
// Its close frame is now queued and the socket ended at once: the place is free immediately,
// while the client has not read or answered anything. The write timeout here is far beyond
// the test, so only the new behaviour can free the place in time.

const LONG_WRITE_TIMEOUT_MS = 120_000;

test('an evicted client that stopped reading gives its per-address place back at once', async (t) => {
  const server = await startServer({
    maxConnectionsPerIp: 2,
    sendBuffer: 4,
    maxMessageBytes: 200_000,
    writeTimeoutMs: LONG_WRITE_TIMEOUT_MS,
  });
  t.teardown(() => server.stop());
  const sender = await connectRegistered(server);
  const stalled = await RawWsClient.open(server.port);
  t.teardown(() => stalled.socket.destroy());
  stalled.socket.pause();

  const body = 'x'.repeat(150_000);
  for (let i = 0; i < 100 && !server.events.some(isOverflowed()); i++) {
    sender.send(body);
    await waitUntil(() => sender.messages.length > i, 'the sender to get its echo');
  }
  t.true(server.events.some(isOverflowed()), 'the stalled client was evicted');

  // The stalled client still reads nothing, and the address has a place again.
  const next = await connectRegistered(server);
  t.teardown(() => next.close());
  t.true(sender.isOpen && next.isOpen);
});

test('a refused client that never answers the close frame gives its per-address place back at once', async (t) => {
  const server = await startServer({
    maxConnectionsPerIp: 1,
    rateLimit: 1,
    rateLimitBurst: 2,
    writeTimeoutMs: LONG_WRITE_TIMEOUT_MS,
  });
  t.teardown(() => server.stop());
  // A client that keeps its side open after the server's FIN (allowHalfOpen), as a
  // misbehaving one may: only the server can end this connection.
  const refused = connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
  t.teardown(() => refused.destroy());
  refused.on('error', () => {});
  let received = Buffer.alloc(0);
  refused.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
  });
  refused.write(
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: Upgrade\r\n` +
      'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  await waitUntil(() => received.includes('\r\n\r\n'), 'the handshake answer');
  t.regex(received.toString('latin1'), /^HTTP\/1\.1 101 /);
  refused.write(
    Buffer.concat(['a', 'b', 'c'].map((text) => RawWsClient.maskedFrame(Opcode.text, text))),
  );
  // The close frame: opcode 8 with FIN, then the code 1008 (0x03f0).
  const closeFrame = Buffer.from([0x88]);
  await waitUntil(() => {
    const at = received.indexOf(closeFrame, received.indexOf('\r\n\r\n'));
    return at >= 0 && received.length >= at + 4 && received.readUInt16BE(at + 2) === 1008;
  }, 'the close frame with 1008');

  // It neither answers the close frame nor closes its side; its place is free all the same.
  const next = await connectRegistered(server);
  t.teardown(() => next.close());
  t.true(next.isOpen);
});
