import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { connectSse, type SseTestClient } from '../support/sse-client.ts';
import { V2TestClient } from '../support/v2-client.ts';
import { waitUntil } from '../support/ws-client.ts';

type Started = Awaited<ReturnType<typeof startServer>>;

const start = async (t: { teardown(fn: () => Promise<void>): void }, historySize = 100) => {
  const server = await startServer({ historySize });
  t.teardown(() => server.stop());
  return server;
};

const stream = async (
  t: { teardown(fn: () => Promise<void>): void },
  server: Started,
  query: string,
  headers: Record<string, string> = {},
): Promise<SseTestClient> => {
  const client = await connectSse(server.httpUrl, query, headers);
  t.teardown(() => client.leave());
  return client;
};

const post = (server: Started, text: string, query = ''): Promise<Response> =>
  fetch(`${server.httpUrl}/send${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain' },
    body: text,
  });

/** Posts in order and waits for each answer. */
const postAll = async (server: Started, texts: readonly string[], query = '') => {
  for (const text of texts) (await post(server, text, query)).body?.cancel();
};

const messageIds = (client: SseTestClient): (string | undefined)[] =>
  client.events.filter((event) => event.event === 'message').map((event) => event.id);

test('GET /events?room=R streams R only, each event id `<epoch>:<seq>`; POST /send?room=R publishes to R', async (t) => {
  const server = await start(t);
  const alpha = await stream(t, server, '?room=alpha');
  const lobby = await stream(t, server, '');
  await postAll(server, ['a1', 'a2'], '?room=alpha');
  await postAll(server, ['l1'], '');
  t.deepEqual(await alpha.waitForMessages(2), ['a1', 'a2']);
  t.deepEqual(await lobby.waitForMessages(1), ['l1']);
  const [first] = await server.hub.history('alpha', 1, 2);
  t.deepEqual(messageIds(alpha), [`${first?.epoch}:1`, `${first?.epoch}:2`]);
  t.is(alpha.messages.length, 2, 'nothing of lobby');
});

test('a reconnect with Last-Event-ID resumes: the missed messages, once, then live ones', async (t) => {
  const server = await start(t);
  const first = await stream(t, server, '?room=r');
  await postAll(server, ['m1', 'm2'], '?room=r');
  await first.waitForMessages(2);
  const last = messageIds(first).at(-1) ?? '';
  await first.leave();
  await postAll(server, ['m3', 'm4'], '?room=r');
  // A stale ?since loses to Last-Event-ID, as a browser reconnecting to the same URL sends both.
  const resumed = await stream(t, server, `?room=r&since=${last.replace(/\d+$/, '0')}`, {
    'Last-Event-ID': last,
  });
  t.deepEqual(await resumed.waitForMessages(2), ['m3', 'm4']);
  await postAll(server, ['m5'], '?room=r');
  t.deepEqual(await resumed.waitForMessages(3), ['m3', 'm4', 'm5']);
  t.false(resumed.events.some((event) => event.event === 'reset'));
});

test('?since resumes the same way when there is no Last-Event-ID', async (t) => {
  const server = await start(t);
  const first = await stream(t, server, '?room=r');
  await postAll(server, ['m1', 'm2', 'm3'], '?room=r');
  await first.waitForMessages(3);
  const [one] = messageIds(first);
  const resumed = await stream(t, server, `?room=r&since=${encodeURIComponent(one ?? '')}`);
  t.deepEqual(await resumed.waitForMessages(2), ['m2', 'm3']);
});

test('a resume that cannot be recovered starts with `event: reset` {epoch, seq}, then live messages only', async (t) => {
  const server = await start(t, 2);
  const first = await stream(t, server, '?room=r');
  await postAll(server, ['m1'], '?room=r');
  await first.waitForMessages(1);
  const [id] = messageIds(first);
  await first.leave();
  // Three more with a history of two: m2 is gone, so continuity after m1 cannot be shown.
  await postAll(server, ['m2', 'm3', 'm4'], '?room=r');
  const resumed = await stream(t, server, '?room=r', { 'Last-Event-ID': id ?? '' });
  const reset = await waitUntil(
    () => resumed.events.find((event) => event.event === 'reset'),
    'the reset event',
  );
  const epoch = (id ?? '').slice(0, (id ?? '').lastIndexOf(':'));
  t.deepEqual(JSON.parse(reset.data), { epoch, seq: 4 });
  await postAll(server, ['m5'], '?room=r');
  t.deepEqual(await resumed.waitForMessages(1), ['m5']);
  t.is(resumed.events[0]?.event, 'reset', 'the reset comes first');
});

test('a Last-Event-ID of another epoch (a restarted server) is not recovered: reset', async (t) => {
  const server = await start(t);
  await postAll(server, ['m1'], '?room=r');
  const resumed = await stream(t, server, '?room=r', { 'Last-Event-ID': 'gone-1:1' });
  const reset = await waitUntil(
    () => resumed.events.find((event) => event.event === 'reset'),
    'the reset event',
  );
  t.like(JSON.parse(reset.data), { seq: 1 });
});

test('?history=K sends the last K messages first', async (t) => {
  const server = await start(t);
  await postAll(server, ['m1', 'm2', 'm3'], '?room=h');
  const client = await stream(t, server, '?room=h&history=2');
  t.deepEqual(await client.waitForMessages(2), ['m2', 'm3']);
});

test('?format=v2: welcome, joined with members, message items with name and time, presence', async (t) => {
  const server = await start(t);
  const client = await stream(t, server, '?room=v&name=ann&format=v2&history=5');
  await postAll(server, ['before'], '?room=v&name=bob');
  const [welcome, joined] = await waitUntil(
    () => (client.events.length >= 2 ? client.events : undefined),
    'welcome and joined',
  );
  t.is(welcome?.event, 'welcome');
  t.like(JSON.parse(welcome?.data ?? '{}'), { type: 'welcome', name: 'ann', maxMessageBytes: 512 });
  t.is(joined?.event, 'joined');
  t.like(JSON.parse(joined?.data ?? '{}'), {
    type: 'joined',
    room: 'v',
    members: [{ name: 'ann', connections: 1 }],
  });
  const [item] = (await client.waitForMessages(1)).map((data) => JSON.parse(data));
  t.like(item, { type: 'message', room: 'v', seq: 1, text: 'before', from: 'bob' });
  t.is(typeof item.at, 'number');
  const v2 = await V2TestClient.open(server.wsUrl, '?name=cy');
  t.teardown(() => v2.ws.terminate());
  await v2.join('v');
  const joinedEvent = await waitUntil(
    () => client.events.find((event) => event.event === 'member_joined'),
    'member_joined',
  );
  t.deepEqual(JSON.parse(joinedEvent.data), { type: 'member_joined', room: 'v', name: 'cy' });
});

test('a bad ?room, ?name, ?history, ?format or ?since is 400', async (t) => {
  const server = await start(t);
  for (const query of ['?room=no%20spaces', '?name=', '?history=x', '?format=xml', '?since=nope']) {
    const answer = await fetch(`${server.httpUrl}/events${query}`);
    t.is(answer.status, 400, query);
    await answer.body?.cancel();
  }
});

test('POST /send?id=X answers the ack; a retry with the same id and name is one message', async (t) => {
  const server = await start(t);
  const first = await post(server, 'once', '?room=d&name=ann&id=k1');
  t.is(first.status, 200);
  t.deepEqual(await first.json(), { type: 'ack', id: 'k1', room: 'd', seq: 1 });
  const retry = await post(server, 'once', '?room=d&name=ann&id=k1');
  t.deepEqual(await retry.json(), { type: 'ack', id: 'k1', room: 'd', seq: 1 });
  t.deepEqual(
    (await server.hub.history('d', 10)).map((message) => message.text),
    ['once'],
  );
  const bad = await post(server, 'x', '?room=a%20b');
  t.is(bad.status, 400);
  await bad.body?.cancel();
});

test('GET /history?room&before&limit pages older messages as the v2 history item', async (t) => {
  const server = await start(t);
  await postAll(server, ['m1', 'm2', 'm3', 'm4'], '?room=p&name=ann');
  const answer = await fetch(`${server.httpUrl}/history?room=p&before=4&limit=2`);
  t.is(answer.status, 200);
  const page = (await answer.json()) as {
    type: string;
    room: string;
    messages: { seq: number; text: string; from: string }[];
  };
  t.is(page.type, 'history');
  t.deepEqual(
    page.messages.map(({ seq, text, from }) => ({ seq, text, from })),
    [
      { seq: 2, text: 'm2', from: 'ann' },
      { seq: 3, text: 'm3', from: 'ann' },
    ],
  );
  const bad = await fetch(`${server.httpUrl}/history?limit=99999`);
  t.is(bad.status, 400);
  await bad.body?.cancel();
});

test('a stream whose room cannot be made (every kept room has members) is refused with 503', async (t) => {
  const server = await startServer({ maxRooms: 1 });
  t.teardown(() => server.stop());
  await stream(t, server, '?room=first');
  await waitUntil(() => server.hub.state.rooms.get('first'), 'the first room');
  const answer = await fetch(`${server.httpUrl}/events?room=second`);
  t.is(answer.status, 503);
  t.is(await answer.text(), 'room unavailable: too_many_rooms');
});

test('a Last-Event-ID this server never wrote (a numeric id of an older version) is a reset, not a 400', async (t) => {
  const server = await start(t);
  await postAll(server, ['m1'], '?room=r');
  const resumed = await stream(t, server, '?room=r', { 'Last-Event-ID': '42' });
  const reset = await waitUntil(
    () => resumed.events.find((event) => event.event === 'reset'),
    'the reset event',
  );
  t.like(JSON.parse(reset.data), { seq: 1 });
});

test('a stream that drops after its reset, before any message, resumes from where the reset put it', async (t) => {
  const server = await start(t);
  await postAll(server, ['m1'], '?room=r');
  const controller = new AbortController();
  const answer = await fetch(`${server.httpUrl}/events?room=r`, {
    headers: { 'Last-Event-ID': 'old-epoch:7' },
    signal: controller.signal,
  });
  const reader = answer.body?.getReader();
  let opening = '';
  while (!/\nid: [^\n]+\n\n/.test(opening)) {
    const chunk = await reader?.read();
    if (chunk === undefined || chunk.done) break;
    opening += Buffer.from(chunk.value).toString();
  }
  controller.abort();
  // The opening ends with the room's position as the event id EventSource sends back.
  const id = /\nid: ([^\n]+)\n\n$/.exec(opening)?.[1] ?? '';
  t.regex(opening, /^event: reset\n/);
  t.regex(id, /:1$/);
  await postAll(server, ['while away'], '?room=r');
  const resumed = await stream(t, server, '?room=r', { 'Last-Event-ID': id });
  t.deepEqual(await resumed.waitForMessages(1), ['while away']);
  t.false(resumed.events.some((event) => event.event === 'reset'));
});
