import test, { type ExecutionContext } from 'ava';
import { ControlledEngine } from '../../support/controlled-engine.ts';
import { startServer } from '../../support/start-server.ts';
import { V2TestClient } from '../support/v2-client.ts';
import { connect, connectV1, waitUntil } from '../support/ws-client.ts';

/** A server whose engine can lose a room while it has members here. */
const renumberingServer = async (t: ExecutionContext) => {
  const engine = new ControlledEngine();
  const server = await startServer({}, { engine });
  t.teardown(() => server.stop());
  /** Publishes each text to `room` in order, each stored before the next goes. */
  const publish = async (room: string, ...texts: string[]) => {
    for (const text of texts) await server.hub.post(room, 'test', text);
  };
  return { engine, server, publish };
};

test('hubbub.v2: a member of a room whose numbering restarts gets the new epoch from seq 1, and resumes in it', async (t) => {
  const { engine, server, publish } = await renumberingServer(t);
  const ann = await V2TestClient.open(server.wsUrl, '?name=ann');
  const joined = await ann.join('r');
  await publish('r', 'm1', 'm2', 'm3');
  await ann.next('message', 'r', 3);
  engine.lose('r');
  await publish('r', 'n1', 'n2');
  await ann.next('message', 'r', 5);
  const seen = ann.of('message', 'r').map(({ seq, epoch, text }) => ({ seq, epoch, text }));
  const [old, renumbered] = [joined.epoch, seen[3]?.epoch];
  t.not(renumbered, old);
  t.deepEqual(seen, [
    { seq: 1, epoch: old, text: 'm1' },
    { seq: 2, epoch: old, text: 'm2' },
    { seq: 3, epoch: old, text: 'm3' },
    { seq: 1, epoch: renumbered, text: 'n1' },
    { seq: 2, epoch: renumbered, text: 'n2' },
  ]);
  // Its own send is numbered in the new epoch, and its copy comes once.
  ann.command({ type: 'send', room: 'r', text: 'n3', id: 'x1' });
  t.like(await ann.next('ack', 'r'), { id: 'x1', seq: 3 });
  await ann.next('message', 'r', 6);
  t.like(ann.of('message', 'r')[5], { seq: 3, epoch: renumbered, text: 'n3' });
  // A resume from the old numbering is not recovered; one from the new numbering is.
  const bob = await V2TestClient.open(server.wsUrl, '?name=bob');
  t.like(await bob.join('r', { since: { epoch: old, seq: 3 } }), {
    epoch: renumbered,
    seq: 3,
    recovered: false,
    messages: [],
  });
  const cat = await V2TestClient.open(server.wsUrl, '?name=cat');
  const resumed = await cat.join('r', { since: { epoch: renumbered, seq: 1 } });
  t.like(resumed, { recovered: true });
  t.deepEqual(
    (resumed.messages as { text: string }[]).map((m) => m.text),
    ['n2', 'n3'],
  );
  await Promise.all([ann.close(), bob.close(), cat.close()]);
});

test('plain WebSocket and hubbub.v1: their messages carry no epoch, so a renumbered room closes them with 1012 after what they were sent; a reconnect gets the new numbering', async (t) => {
  const { engine, server, publish } = await renumberingServer(t);
  const plain = await connect(`${server.wsUrl}?room=r`);
  const v1 = await connectV1(server);
  const v2 = await V2TestClient.open(server.wsUrl);
  await v2.join('lobby');
  await waitUntil(() => server.hub.members('r').length === 1, 'the plain client to join r');
  await publish('r', 'm1', 'm2');
  await publish('lobby', 'l1');
  t.deepEqual(await plain.waitForMessages(2), ['m1', 'm2']);
  await v1.waitForMessages(1);
  // (What a member has not been written when the numbering restarts is not delivered.)
  await v2.next('message', 'lobby');
  engine.lose('r');
  engine.lose('lobby');
  await publish('r', 'n1');
  await publish('lobby', 'k1');
  t.deepEqual(await plain.waitForClose(), { code: 1012, reason: 'room restarted: reconnect' });
  t.deepEqual(await v1.waitForClose(), { code: 1012, reason: 'room restarted: reconnect' });
  t.deepEqual(plain.messages, ['m1', 'm2']);
  t.deepEqual(
    v1.messages.flatMap((frame) => JSON.parse(frame) as unknown[]),
    [{ type: 'message', seq: 1, text: 'l1' }],
  );
  await waitUntil(() => server.hub.state.connections.size === 1, 'both to leave the hub');
  // The hubbub.v2 member of the same room carries on in the new numbering.
  t.like(await v2.next('message', 'lobby', 2), { seq: 1, text: 'k1' });
  const again = await connectV1(server);
  await waitUntil(() => server.hub.state.connections.size === 2, 'the reconnect to join');
  await publish('lobby', 'k2');
  t.deepEqual(JSON.parse((await again.waitForMessages(1))[0] ?? ''), [
    { type: 'message', seq: 2, text: 'k2' },
  ]);
  const closed = server.logger.lines.filter((line) => line.message === 'connection closed');
  t.true(closed.some((line) => line.fields.detail === '1012 room restarted: reconnect'));
  await Promise.all([again.close(), v2.close()]);
});
