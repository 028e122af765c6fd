import test from 'ava';
import { ControlledEngine } from '../../support/controlled-engine.ts';
import { startServer } from '../../support/start-server.ts';
import { connectTcpRegistered } from '../support/tcp-client.ts';
import { waitUntil, within } from '../support/ws-client.ts';

test('TCP: lines carry no epoch, so a renumbered room ends the connection with an error line after what it was sent; a reconnect gets the new numbering', async (t) => {
  const engine = new ControlledEngine();
  const server = await startServer({ tcpPort: 0 }, { engine });
  t.teardown(() => server.stop());
  const first = await connectTcpRegistered(server);
  await server.hub.post('lobby', 'test', 'm1');
  await server.hub.post('lobby', 'test', 'm2');
  t.deepEqual(await first.waitForMessages(2), ['m1', 'm2']);
  engine.lose('lobby');
  await server.hub.post('lobby', 'test', 'n1');
  await within(first.closed, 'the TCP connection to end');
  t.is(first.serverLine, 'error: room restarted: reconnect');
  t.deepEqual(first.messages, ['m1', 'm2']);
  await waitUntil(() => server.hub.state.connections.size === 0, 'the connection to leave');
  const again = await connectTcpRegistered(server);
  await server.hub.post('lobby', 'test', 'n2');
  t.deepEqual(await again.waitForMessages(1), ['n2']);
  t.is((await server.hub.history('lobby', 10)).at(-1)?.seq, 2);
  await again.leave();
});
