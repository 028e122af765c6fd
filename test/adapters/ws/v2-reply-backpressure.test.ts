import { Socket } from 'node:net';
import test from 'ava';
import { REPLY_HIGH_WATER_BYTES } from '../../../src/adapters/ws/v2-connection.ts';
import { startServer } from '../../support/start-server.ts';
import { V2TestClient } from '../support/v2-client.ts';
import { waitUntil } from '../support/ws-client.ts';

const PAGE = 1000;
const REQUESTS = 60;

/** The server's end of the client's connection (this process runs the server). */
const serverSideOf = (client: Socket, port: number): Socket | undefined =>
  (process as unknown as { _getActiveHandles(): unknown[] })
    ._getActiveHandles()
    .find(
      (handle): handle is Socket =>
        handle instanceof Socket &&
        handle.localPort === port &&
        handle.remotePort === client.localPort,
    );

test('a client that asks for history pages and does not read them stops being read; nothing is lost', async (t) => {
  const server = await startServer({ historySize: PAGE, maxMessageBytes: 1024 });
  t.teardown(() => server.stop());
  for (let i = 0; i < PAGE; i++) server.publish(`${i}:${'x'.repeat(1000)}`, 'big');
  const client = await V2TestClient.open(server.wsUrl);
  t.teardown(() => client.ws.terminate());
  await client.join('big');
  const clientSocket = (client.ws as unknown as { _socket: Socket })._socket;
  const serverSocket = await waitUntil(
    () => serverSideOf(clientSocket, server.port),
    "the server's socket",
  );
  clientSocket.pause();
  // Each page is over a megabyte: 60 of them, unread, would be 60 MB held by the server.
  for (let i = 0; i < REQUESTS; i++) client.command({ type: 'history', room: 'big', limit: PAGE });
  await waitUntil(
    () => (serverSocket.isPaused() ? true : undefined),
    'the server to stop reading the client',
  );
  const onePage = PAGE * 1100;
  t.true(
    serverSocket.writableLength < REPLY_HIGH_WATER_BYTES + 2 * onePage,
    `${serverSocket.writableLength} bytes held for the client`,
  );
  clientSocket.resume();
  const pages = await waitUntil(
    () =>
      client.of('history', 'big').length === REQUESTS ? client.of('history', 'big') : undefined,
    'every page, once the client reads',
  );
  for (const page of pages) t.is((page.messages as unknown[]).length, PAGE);
  t.is(client.closed, undefined, 'still connected');
});
