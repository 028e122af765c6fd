import { request } from 'node:http';
import type { Socket } from 'node:net';
import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { waitUntil } from '../support/ws-client.ts';

// A phone that loses its network resets its stream: the client went, the server did not fail.
test('a client that resets its event stream is a departure, not an error in the log', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  for (let round = 0; round < 5; round++) {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const get = request(`${server.httpUrl}/events`, { agent: false }, (response) => {
        response.on('error', () => {});
        resolve(get.socket as Socket);
      });
      get.on('error', reject);
      get.end();
    });
    await waitUntil(() => server.hub.state.connections.size === 1, 'the stream to join');
    for (let i = 0; i < 3; i++) server.publish(`message ${round}.${i}`);
    socket.resetAndDestroy();
    await waitUntil(() => server.hub.state.connections.size === 0, 'the stream to leave');
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.deepEqual(
    server.logger.lines.filter((line) => line.level === 'error'),
    [],
    'no error-level line',
  );
  t.is(server.logger.lines.filter((line) => line.message === 'connection closed').length, 5);
});
