import test from 'ava';
import type { Admission } from '../../../src/adapters/kit/admission.ts';
import { KIT_TOKENS } from '../../../src/adapters/kit/kit.tokens.ts';
import { startServer } from '../../support/start-server.ts';
import { RawWsClient } from '../support/raw-ws.ts';
import { connectRegistered, isOverflowed, waitUntil } from '../support/ws-client.ts';

/**
 * An evicted client that has stopped reading never answers the close frame, which waits
 * behind megabytes of unread broadcasts: the server must not keep its socket (and its place
 * under --max-connections) until ws's own 30 s closing timeout, but cut it off at the write
 * deadline, as the original does with its close message.
 */
test('the socket of an evicted client that stopped reading is released within seconds', async (t) => {
  const server = await startServer({
    sendBuffer: 4,
    maxMessageBytes: 200_000,
    writeTimeoutMs: 1_500,
  });
  t.teardown(() => server.stop());
  const admission = server.container.get<Admission>(KIT_TOKENS.Admission);
  const sender = await connectRegistered(server);
  const stalled = await RawWsClient.open(server.port);
  t.teardown(() => stalled.destroy());
  stalled.socket.pause();
  await waitUntil(() => admission.open === 2, 'both clients to hold a place');

  // Enough bytes to fill the loopback buffers in both directions several times over.
  const body = 'x'.repeat(150_000);
  for (let i = 0; i < 100 && !server.events.some(isOverflowed()); i++) {
    sender.send(body);
    await waitUntil(() => sender.messages.length > i, 'the sender to get its echo');
  }
  t.true(server.events.some(isOverflowed()), 'the stalled client was evicted');
  const evictedAt = Date.now();

  await waitUntil(() => admission.open === 1, 'the evicted socket to be released', 6_000);
  t.true(Date.now() - evictedAt < 6_000);
  t.true(sender.isOpen, 'the sender is unaffected');
});
