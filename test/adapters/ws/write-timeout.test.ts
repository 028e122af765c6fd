import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { connectRegistered, isUnregistered, sleep, waitUntil } from '../support/ws-client.ts';

test('a client whose socket stops taking writes is terminated after the write timeout', async (t) => {
  const server = await startServer({
    writeTimeoutMs: 300,
    sendBuffer: 100_000, // far more than the kernel can absorb: the write deadline comes first
    maxMessageBytes: 64 * 1024,
  });
  t.teardown(() => server.stop());
  const sender = await connectRegistered(server);
  const reader = await connectRegistered(server);
  const stalled = await connectRegistered(server);
  stalled.socket.pause();

  // Broadcast in paced rounds until the stalled client's writes stop completing. Loopback
  // socket buffers can take several MB, so this may need tens of MB.
  const body = 'w'.repeat(16 * 1024 - 8);
  const round = 32;
  let sent = 0;
  const maxMessages = 4_000; // 64 MB
  const dropped = () => server.events.find(isUnregistered(stalled.id));
  while (dropped() === undefined && sent < maxMessages && sender.closedWith === undefined) {
    for (let i = 0; i < round; i++) sender.send(`${String(sent++).padStart(7, '0')} ${body}`);
    await sender.waitForMessages(sent);
  }
  t.log(`${sent} messages of 16 KiB were sent before the stalled client was dropped`);

  const gone = await waitUntil(dropped, 'the stalled client to be dropped');
  t.is(gone.reason, 'write_timeout');
  t.is(gone.detail, 'write not completed in time');
  t.false(
    server.events.some((e) => e.type === 'Overflowed'),
    'not evicted for its buffer',
  );
  t.true(
    server.logger.lines.some(
      (line) =>
        line.message === 'connection evicted' &&
        line.fields.eviction === 'write_timeout' &&
        line.fields.detail === 'write not completed in time',
    ),
  );

  // The others were not affected: nobody else left before it, and the reader got everything.
  const before = server.events.slice(0, server.events.indexOf(gone));
  t.false(before.some((e) => e.type === 'Unregistered'));
  await reader.waitForMessages(sent);
  t.is(reader.messages.length, sent);
  t.true(reader.messages.every((text, i) => text.startsWith(`${String(i).padStart(7, '0')} `)));

  // The socket was cut, not closed politely: reading again finds it ended without a close frame.
  stalled.socket.resume();
  t.is((await stalled.waitForClose()).code, 1006);
});

test('an idle client that has received messages is not dropped by the write timeout', async (t) => {
  const server = await startServer({ writeTimeoutMs: 300 });
  t.teardown(() => server.stop());
  const client = await connectRegistered(server);
  client.send('hello');
  await client.waitForMessages(1);

  await sleep(1_200); // four write timeouts with nothing to write
  t.is(client.closedWith, undefined);
  t.true(client.isOpen);
  t.false(server.events.some(isUnregistered(client.id)));
});
