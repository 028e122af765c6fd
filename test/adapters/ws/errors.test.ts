import { connect as netConnect } from 'node:net';
import test from 'ava';
import { type RunningServer, startServer } from '../../support/start-server.ts';
import { Opcode, RawWsClient } from '../support/raw-ws.ts';
import {
  connect,
  connectRegistered,
  isUnregistered,
  sleep,
  waitForUnregistered,
  waitUntil,
  within,
} from '../support/ws-client.ts';

/** Sends raw bytes on a new TCP connection and resolves with everything the server answered. */
const rawExchange = (server: RunningServer, request: string): Promise<string> => {
  const socket = netConnect(server.port, '127.0.0.1');
  let response = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    response += chunk;
  });
  socket.on('error', () => {});
  socket.write(request);
  return within(
    new Promise<string>((resolve) => socket.on('close', () => resolve(response))),
    'the server to answer and close',
  );
};

/** The server still does its job: the page is served and a new client can chat. */
const stillServes = async (server: RunningServer): Promise<boolean> => {
  const page = await fetch(`${server.httpUrl}/`);
  await page.body?.cancel();
  const client = await connect(server.wsUrl);
  client.send('are you there?');
  const [echo] = await client.waitForMessages(1);
  await client.close();
  return page.status === 200 && echo === 'are you there?';
};

const errorLines = (server: RunningServer) =>
  server.logger.lines.filter((line) => line.level === 'error');

test('a client that resets its TCP connection mid-stream is dropped; the others carry on', async (t) => {
  const server = await startServer({ maxMessageBytes: 4096 });
  t.teardown(() => server.stop());
  const sender = await connectRegistered(server);
  const reader = await connectRegistered(server);
  const victim = await connectRegistered(server);

  const body = 'r'.repeat(3000);
  let sent = 0;
  for (; sent < 40; sent++) sender.send(`${sent} ${body}`);
  await victim.waitForMessages(1);
  victim.socket.resetAndDestroy(); // RST while messages are still being written to it
  for (; sent < 80; sent++) sender.send(`${sent} ${body}`);

  const gone = await waitForUnregistered(server, victim.id);
  t.is(gone.reason, 'dropped');
  await reader.waitForMessages(sent);
  t.deepEqual(
    reader.messages.map((text) => Number(text.split(' ')[0])),
    Array.from({ length: sent }, (_, i) => i),
  );
  await sender.waitForMessages(sent);
  t.true(sender.isOpen && reader.isOpen);
  t.deepEqual(errorLines(server), []);
  t.true(await stillServes(server));
});

test('a client whose socket is destroyed with a FIN and no close frame is dropped as 1006', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const other = await connectRegistered(server);
  const client = await connectRegistered(server);
  client.socket.destroy();
  const gone = await waitForUnregistered(server, client.id);
  t.like(gone, { reason: 'dropped', detail: 'close 1006' });
  t.true(other.isOpen);
  t.true(await stillServes(server));
});

test('a client that closes normally (1000) is unregistered as left', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const client = await connectRegistered(server);
  await client.close();
  t.like(await waitForUnregistered(server, client.id), { reason: 'left', detail: 'close 1000' });
  t.deepEqual(client.closedWith, { code: 1000, reason: '' });
});

test('many clients resetting at once do not crash the server', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const survivor = await connectRegistered(server);
  const clients = await Promise.all(Array.from({ length: 20 }, () => connect(server.wsUrl)));
  await waitUntil(() => server.hub.state.connections.size === 21, 'all 21 registered');
  survivor.send('before');
  await Promise.all(clients.map((client) => client.waitForMessages(1)));
  for (const client of clients) client.socket.resetAndDestroy();
  await waitUntil(() => server.hub.state.connections.size === 1, 'the 20 to be removed');
  survivor.send('after');
  t.deepEqual(await survivor.waitForMessages(2), ['before', 'after']);
  t.deepEqual(errorLines(server), []);
});

test('a garbage request on the raw socket gets 400 and the server keeps serving', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const response = await rawExchange(server, 'HELLO THERE\r\n\x00\x01\x02 not http at all\r\n\r\n');
  t.regex(response, /^HTTP\/1\.1 400 /);
  t.is(server.events.length, 0);
  t.true(await stillServes(server));
});

test('an upgrade on /ws without Sec-WebSocket-Key is refused with 400', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const response = await rawExchange(
    server,
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: Upgrade\r\n` +
      'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  t.regex(response, /^HTTP\/1\.1 400 /);
  t.is(server.events.length, 0);
  t.true(await stillServes(server));
});

test('an upgrade on /ws with an unsupported WebSocket version is refused with 400', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const response = await rawExchange(
    server,
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: Upgrade\r\n` +
      'Upgrade: websocket\r\nSec-WebSocket-Version: 7\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  t.regex(response, /^HTTP\/1\.1 400 /);
  t.is(server.events.length, 0);
});

test('a connection dropped half-way through its handshake does not disturb the server', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const socket = netConnect(server.port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: Upg`);
  await sleep(20);
  socket.resetAndDestroy();
  t.true(await stillServes(server));
  t.deepEqual(errorLines(server), []);
});

test('a client frame without a mask is a protocol error: 1002, dropped, others unaffected', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const other = await connectRegistered(server);
  const raw = await RawWsClient.open(server.port);
  t.teardown(() => raw.destroy());
  const id = await waitUntil(
    () => [...server.hub.state.connections.keys()].find((key) => key !== other.id),
    'the raw client to register',
  );
  // An unmasked text frame "hi": clients must mask every frame.
  raw.socket.write(Buffer.from([0x80 | Opcode.text, 2, 0x68, 0x69]));
  const close = await waitUntil(
    () => raw.frames.find((frame) => frame.opcode === Opcode.close),
    'the server’s close frame',
  );
  t.is(close.payload.readUInt16BE(0), 1002);
  t.like(await waitForUnregistered(server, id), { reason: 'protocol_error' });
  t.false(server.events.some((e) => e.type === 'Broadcast'));
  t.true(other.isOpen);
  t.false(server.events.some(isUnregistered(other.id)));
});

for (const target of ['//', '//:', '//[', '*', '/ws/../ws']) {
  test(`an upgrade with the request target ${target} is refused and the server keeps serving`, async (t) => {
    const server = await startServer();
    t.teardown(() => server.stop());
    const response = await rawExchange(
      server,
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: Upgrade\r\n` +
        'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    t.regex(response, /^HTTP\/1\.1 (400|404) /);
    t.is(server.events.length, 0);
    t.true(await stillServes(server));
  });
}

test('frames after a binary frame are not broadcast: the sender leaves the hub at once', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const other = await connectRegistered(server);
  const raw = await RawWsClient.open(server.port);
  t.teardown(() => raw.destroy());
  const id = await waitUntil(
    () => [...server.hub.state.connections.keys()].find((key) => key !== other.id),
    'the raw client to register',
  );
  raw.sendFrame(Opcode.binary, Buffer.from([1, 2, 3]));
  raw.sendText('sent right after my binary frame');
  const close = await waitUntil(
    () => raw.frames.find((frame) => frame.opcode === Opcode.close),
    'the server’s close frame',
  );
  t.is(close.payload.readUInt16BE(0), 1003);
  raw.sendText('sent after being told to close');
  t.like(await waitForUnregistered(server, id), { reason: 'invalid_message' });
  other.send('marker');
  t.deepEqual(await other.waitForMessages(1), ['marker']);
  t.deepEqual(
    server.events
      .filter((e) => e.type === 'Broadcast')
      .map((e) => e.type === 'Broadcast' && e.text),
    ['marker'],
  );
});
