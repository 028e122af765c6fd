import type { IncomingHttpHeaders } from 'node:http';
import test, { type ExecutionContext } from 'ava';
import { SECURITY_HEADERS } from '../../../src/adapters/kit/security-headers.ts';
import { type RunningServer, startServer } from '../../support/start-server.ts';
import { postSend, TEXT_PLAIN } from '../support/post-send.ts';
import { connectSseRegistered, openEventStream } from '../support/sse-client.ts';

// POST /send is refused when a browser sends it from another site (403), when the body is not
// text/plain UTF-8 (415, 400), and past --max-message-bytes raw bytes (413). Issue 11.

let server: RunningServer;

test.before(async () => {
  server = await startServer();
});

test.after.always(async () => {
  await server?.stop();
});

/** What `lobby` has stored, oldest first: a post is stored whether or not anyone listens. */
const broadcasts = async (running: RunningServer): Promise<string[]> =>
  (await running.hub.history('lobby', 1000)).map((message) => message.text);

const rejections = (running: RunningServer, reason: string) =>
  running.logger.lines.filter(
    (line) =>
      line.message === 'connection rejected' &&
      line.fields.transport === 'sse' &&
      line.fields.reason === reason,
  );

const assertSecurityHeaders = (t: ExecutionContext, headers: IncomingHttpHeaders): void => {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    t.is(headers[name.toLowerCase()], value, name);
  }
};

/** Posts, and checks that nothing reached the hub. */
const refused = async (
  t: ExecutionContext,
  body: string | Buffer,
  headers: Record<string, string>,
) => {
  const before = (await broadcasts(server)).length;
  const answer = await postSend(server.httpUrl, body, headers);
  t.deepEqual((await broadcasts(server)).slice(before), [], 'nothing was broadcast');
  assertSecurityHeaders(t, answer.headers);
  return answer;
};

const CROSS_SITE = { status: 403, body: 'cross-site request refused' };

test.serial('a cross-site Origin is refused with 403 and nothing is broadcast', async (t) => {
  const before = rejections(server, 'origin_not_allowed').length;
  const answer = await refused(t, 'csrf', { ...TEXT_PLAIN, Origin: 'http://evil.example' });
  t.like(answer, CROSS_SITE);
  const logged = rejections(server, 'origin_not_allowed').slice(before);
  t.is(logged.length, 1);
  t.is(logged[0]?.fields.origin, 'http://evil.example');
});

test.serial(
  'the cross-site form a page can post without preflight is refused with 403',
  async (t) => {
    const answer = await refused(t, 'text=csrf', {
      Origin: 'http://evil.example',
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    t.like(answer, CROSS_SITE, 'the origin is checked before the content type');
  },
);

test.serial('Origin: null (a sandboxed frame, a file) is refused with 403', async (t) => {
  t.like(await refused(t, 'csrf', { ...TEXT_PLAIN, Origin: 'null' }), CROSS_SITE);
});

test.serial('another port of the same address is another origin: 403', async (t) => {
  t.like(await refused(t, 'csrf', { ...TEXT_PLAIN, Origin: 'http://127.0.0.1:1' }), CROSS_SITE);
});

for (const site of ['cross-site', 'same-site']) {
  test.serial(`no Origin but Sec-Fetch-Site: ${site} is refused with 403`, async (t) => {
    t.like(await refused(t, 'csrf', { ...TEXT_PLAIN, 'Sec-Fetch-Site': site }), CROSS_SITE);
  });
}

test.serial('the page itself (Origin naming the Host) may post: 204', async (t) => {
  const answer = await postSend(server.httpUrl, 'from the page', {
    ...TEXT_PLAIN,
    Origin: server.httpUrl,
    'Sec-Fetch-Site': 'same-origin',
  });
  t.is(answer.status, 204);
  assertSecurityHeaders(t, answer.headers);
  t.is((await broadcasts(server)).at(-1), 'from the page');
});

test.serial('no Origin and no Sec-Fetch-Site (curl, a script) may post: 204', async (t) => {
  const answer = await postSend(server.httpUrl, 'from curl', { 'Content-Type': 'text/plain' });
  t.is(answer.status, 204);
  t.is((await broadcasts(server)).at(-1), 'from curl');
});

test('an origin listed with --allowed-origin may post; others still may not', async (t) => {
  const own = await startServer({ allowedOrigins: ['https://chat.example.com'] });
  t.teardown(() => own.stop());
  const listed = await postSend(own.httpUrl, 'listed', {
    ...TEXT_PLAIN,
    Origin: 'https://chat.example.com',
  });
  t.is(listed.status, 204);
  const other = await postSend(own.httpUrl, 'other', {
    ...TEXT_PLAIN,
    Origin: 'https://evil.example.com',
  });
  t.is(other.status, 403);
  t.deepEqual(await broadcasts(own), ['listed']);
});

const UNSUPPORTED = { status: 415, body: 'unsupported media type: expected text/plain (UTF-8)' };

for (const type of [
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json',
  'text/plain; charset=iso-8859-1',
  'text/plainish',
]) {
  test.serial(`Content-Type ${type} is refused with 415`, async (t) => {
    t.like(await refused(t, 'hello', { 'Content-Type': type }), UNSUPPORTED);
  });
}

test.serial('a body without Content-Type is refused with 415', async (t) => {
  t.like(await refused(t, 'hello', {}), UNSUPPORTED);
});

for (const type of ['text/plain;charset=UTF-8', 'TEXT/PLAIN; Charset="utf-8"', 'text/plain']) {
  test.serial(`Content-Type ${type} is accepted: 204`, async (t) => {
    const answer = await postSend(server.httpUrl, `as ${type}`, { 'Content-Type': type });
    t.is(answer.status, 204);
    t.is((await broadcasts(server)).at(-1), `as ${type}`);
  });
}

const NOT_UTF8 = { status: 400, body: 'message is not valid UTF-8' };

test.serial('invalid UTF-8 is refused with 400 and never reaches a listener', async (t) => {
  const listener = await connectSseRegistered(server);
  t.teardown(() => listener.leave());
  const answer = await refused(t, Buffer.from([0x68, 0x69, 0xff, 0xfe]), TEXT_PLAIN);
  t.like(answer, NOT_UTF8);
  t.is((await postSend(server.httpUrl, 'after', TEXT_PLAIN)).status, 204);
  t.deepEqual(await listener.waitForMessages(1), ['after'], 'no U+FFFD message came first');
});

test.serial('a lone surrogate encoded as bytes is invalid UTF-8 too: 400', async (t) => {
  t.like(await refused(t, Buffer.from([0xed, 0xa0, 0x80]), TEXT_PLAIN), NOT_UTF8);
});

test.serial('171 bytes of 0xFF are invalid UTF-8 (400), not too large', async (t) => {
  t.like(await refused(t, Buffer.alloc(171, 0xff), TEXT_PLAIN), NOT_UTF8);
});

test.serial('the byte limit counts the bytes sent: 512 bytes of é pass, 513 do not', async (t) => {
  const fits = 'é'.repeat(256);
  const answer = await postSend(server.httpUrl, fits, TEXT_PLAIN);
  t.is(answer.status, 204);
  assertSecurityHeaders(t, answer.headers);
  t.is((await broadcasts(server)).at(-1), fits);
  t.like(await refused(t, `${fits}x`, TEXT_PLAIN), { status: 413, body: 'message too large' });
});

test.serial('a byte-order mark is kept as sent', async (t) => {
  const answer = await postSend(server.httpUrl, '\uFEFFbom', TEXT_PLAIN);
  t.is(answer.status, 204);
  t.is((await broadcasts(server)).at(-1), '\uFEFFbom');
});

test.serial('the event stream carries the security headers', async (t) => {
  const { request, response } = await openEventStream(server.httpUrl);
  t.teardown(() => request.destroy());
  assertSecurityHeaders(t, response.headers);
  t.regex(response.headers['content-type'] ?? '', /^text\/event-stream/);
});

test('a 429 carries the security headers', async (t) => {
  const own = await startServer({ rateLimit: 1, rateLimitBurst: 1 });
  t.teardown(() => own.stop());
  t.is((await postSend(own.httpUrl, 'one', TEXT_PLAIN)).status, 204);
  const answer = await postSend(own.httpUrl, 'two', TEXT_PLAIN);
  t.is(answer.status, 429);
  assertSecurityHeaders(t, answer.headers);
});
