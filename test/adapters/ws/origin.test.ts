import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { connect, refusal, waitUntil } from '../support/ws-client.ts';

test('an Origin naming the host the request went to is accepted', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const client = await connect(server.wsUrl, { origin: `http://127.0.0.1:${server.port}` });
  t.true(client.isOpen);
  await waitUntil(() => server.hub.state.connections.size === 1, 'registration');
  await client.close();
});

test('the same-origin check ignores the case of the host', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const client = await connect(server.wsUrl, {
    headers: { host: `localhost:${server.port}` },
    origin: `http://LocalHost:${server.port}`,
  });
  t.true(client.isOpen);
  await client.close();
});

test('no Origin header (a non-browser client) is accepted', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const client = await connect(server.wsUrl);
  t.true(client.isOpen);
  await client.close();
});

for (const origin of [
  'http://evil.example',
  'http://127.0.0.1:1', // same address, another port: another origin
  'null',
  'not a url',
]) {
  test(`a cross-origin browser upgrade (Origin: ${origin}) is refused with 403 before the upgrade`, async (t) => {
    const server = await startServer();
    t.teardown(() => server.stop());
    const refused = await refusal(server.wsUrl, { origin });
    t.is(refused.status, 403);
    t.is(server.events.length, 0, 'nothing reached the hub');
    t.true(
      server.logger.lines.some(
        (line) =>
          line.message === 'connection rejected' &&
          line.fields.reason === 'origin_not_allowed' &&
          line.fields.origin === origin,
      ),
    );
  });
}

test('allowedOrigins accepts the listed origin and still refuses others', async (t) => {
  const server = await startServer({ allowedOrigins: ['https://chat.example.com'] });
  t.teardown(() => server.stop());

  const listed = await connect(server.wsUrl, { origin: 'https://chat.example.com' });
  t.true(listed.isOpen);
  const same = await connect(server.wsUrl, { origin: `http://127.0.0.1:${server.port}` });
  t.true(same.isOpen, 'the page’s own origin is still accepted');

  t.is((await refusal(server.wsUrl, { origin: 'https://other.example.com' })).status, 403);
  t.is((await refusal(server.wsUrl, { origin: 'http://chat.example.com' })).status, 403);
  t.is((await refusal(server.wsUrl, { origin: 'https://chat.example.com:8443' })).status, 403);
  t.is((await refusal(server.wsUrl, { origin: 'https://evil.chat.example.com' })).status, 403);
  await listed.close();
  await same.close();
});

test("allowedOrigins ['*'] accepts any origin", async (t) => {
  const server = await startServer({ allowedOrigins: ['*'] });
  t.teardown(() => server.stop());
  for (const origin of ['http://evil.example', 'https://anything.test:9999', 'null']) {
    const client = await connect(server.wsUrl, { origin });
    t.true(client.isOpen, origin);
    await client.close();
  }
});

test('the origin check applies only to /ws: another path is 404 whatever the Origin', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const refused = await refusal(`ws://127.0.0.1:${server.port}/chat`, {
    origin: 'http://evil.example',
  });
  t.is(refused.status, 404);
});
