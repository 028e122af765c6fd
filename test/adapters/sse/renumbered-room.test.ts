import test, { type ExecutionContext } from 'ava';
import { ControlledEngine } from '../../support/controlled-engine.ts';
import { type ServerOverrides, startServer } from '../../support/start-server.ts';
import { askHttp } from '../support/http-ask.ts';
import { connectSse, type SseEvent, type SseTestClient } from '../support/sse-client.ts';
import { V2TestClient } from '../support/v2-client.ts';
import { waitUntil } from '../support/ws-client.ts';

const controlledServer = async (t: ExecutionContext, overrides: ServerOverrides = {}) => {
  const engine = new ControlledEngine();
  const server = await startServer(overrides, { engine });
  t.teardown(() => server.stop());
  const publish = async (room: string, ...texts: string[]) => {
    for (const text of texts) await server.hub.post(room, 'test', text);
  };
  return { engine, server, publish };
};

const eventsFor = (stream: SseTestClient, count: number): Promise<SseEvent[]> =>
  waitUntil(
    () => (stream.events.length >= count ? stream.events : undefined),
    () => `${count} events (have ${stream.events.map((event) => event.event).join(' ')})`,
  );

test('a stream whose room is renumbered gets `reset` to the new epoch, then its messages with ids <newEpoch>:<seq>, from which it resumes', async (t) => {
  const { engine, server, publish } = await controlledServer(t);
  const text = await connectSse(server.httpUrl, '?room=r');
  const v2 = await connectSse(server.httpUrl, '?room=r&format=v2');
  await waitUntil(() => server.hub.members('r').length === 2, 'both streams to join');
  await publish('r', 'm1', 'm2');
  await text.waitForMessages(2);
  const old = text.events[0]?.id?.split(':')[0] ?? '';
  engine.lose('r');
  await publish('r', 'n1', 'n2');
  const events = await eventsFor(text, 5);
  const renumbered = events[3]?.id?.split(':')[0] ?? '';
  t.not(renumbered, old);
  t.deepEqual(events, [
    { id: `${old}:1`, event: 'message', data: 'm1' },
    { id: `${old}:2`, event: 'message', data: 'm2' },
    { id: `${old}:2`, event: 'reset', data: JSON.stringify({ epoch: renumbered, seq: 0 }) },
    { id: `${renumbered}:1`, event: 'message', data: 'n1' },
    { id: `${renumbered}:2`, event: 'message', data: 'n2' },
  ]);
  // ?format=v2: the same, each message's data its v2 item with the new epoch.
  const items = (await eventsFor(v2, 7)).slice(2);
  t.deepEqual(
    items.map((event) => event.event),
    ['message', 'message', 'reset', 'message', 'message'],
  );
  t.like(JSON.parse(items[3]?.data ?? ''), { type: 'message', epoch: renumbered, seq: 1 });
  // Where the stream got to in the new numbering is where a reconnect resumes.
  const resumed = await connectSse(server.httpUrl, '?room=r', {
    'Last-Event-ID': `${renumbered}:1`,
  });
  t.deepEqual(await resumed.waitForMessages(1), ['n2']);
  t.false(resumed.events.some((event) => event.event === 'reset'));
  await Promise.all([text.leave(), v2.leave(), resumed.leave()]);
});

test('a stream shut down while its join is on its way is refused with 503, not sent a goodbye without its head', async (t) => {
  const { engine, server } = await controlledServer(t);
  const release = engine.holdJoins();
  t.teardown(release);
  const answer = askHttp(`${server.httpUrl}/events`);
  await waitUntil(() => engine.joinsWaiting === 1, 'the join to wait for the engine');
  const stopped = server.stop();
  t.like(await answer, { status: 503, body: 'server shutting down' });
  release();
  await stopped;
});

test('a stream evicted while its join is on its way (more was stored meanwhile than its buffer takes) is refused with 503', async (t) => {
  const { engine, server, publish } = await controlledServer(t, { sendBuffer: 4 });
  const release = engine.holdJoins();
  const answer = askHttp(`${server.httpUrl}/events?room=r`);
  await waitUntil(() => engine.joinsWaiting === 1, 'the join to wait for the engine');
  await publish('r', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6');
  release();
  t.like(await answer, { status: 503, body: 'send buffer full' });
  await waitUntil(() => server.hub.state.connections.size === 0, 'the stream to leave the hub');
});

test('?format=v2: a member who comes between the stream’s join and its start is told after the opening', async (t) => {
  const { engine, server } = await controlledServer(t);
  const release = engine.holdJoins();
  const stream = connectSse(server.httpUrl, '?room=r&format=v2&name=sue');
  await waitUntil(() => engine.joinsWaiting === 1, 'the stream to wait for the engine');
  const xav = await V2TestClient.open(server.wsUrl, '?name=xav');
  xav.command({ type: 'join', room: 'r' });
  await waitUntil(() => engine.joinsWaiting === 2, 'xav to wait for the engine');
  release();
  const sue = await stream;
  const joined = await waitUntil(
    () => sue.events.find((event) => event.event === 'joined'),
    'the joined event',
  );
  t.deepEqual(JSON.parse(joined.data).members, [{ name: 'sue', connections: 1 }]);
  const told = await waitUntil(
    () => sue.events.find((event) => event.event === 'member_joined'),
    'sue to be told of xav',
  );
  t.deepEqual(JSON.parse(told.data), { type: 'member_joined', room: 'r', name: 'xav' });
  await Promise.all([sue.leave(), xav.close()]);
});
