import test from 'ava';
import { WebSocket } from 'ws';
import { startServer } from './start-server.ts';

test('the in-process server echoes a message to its sender', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const ws = new WebSocket(server.wsUrl);
  await new Promise((resolve) => ws.once('open', resolve));
  const received = new Promise<string>((resolve) => ws.once('message', (d) => resolve(String(d))));
  ws.send('ping');
  t.is(await received, 'ping');
  ws.close();
});
