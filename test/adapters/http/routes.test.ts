import { readFile } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import { findPageDirs, findPublicDir } from '../../../src/adapters/http/public-dir.ts';
import { type RunningServer, startServer } from '../../support/start-server.ts';
import { connect, refusal, within } from '../support/ws-client.ts';

let server: RunningServer;

test.before(async () => {
  server = await startServer();
});

test.after.always(async () => {
  await server?.stop();
});

test('GET / serves the chat page as HTML', async (t) => {
  const response = await fetch(`${server.httpUrl}/`);
  t.is(response.status, 200);
  t.regex(response.headers.get('content-type') ?? '', /^text\/html/);
  // The page is whatever public/index.html holds (the client is edited elsewhere).
  const onDisk = await readFile(join(findPublicDir() ?? 'no public dir', 'index.html'), 'utf8');
  t.is(await response.text(), onDisk);
  t.regex(onDisk, /<title>[^<]*Hubbub/);
});

test("GET /page.js serves the page's script, bundled by npm run build into dist/public", async (t) => {
  const response = await fetch(`${server.httpUrl}/page.js`);
  t.is(response.status, 200);
  t.regex(response.headers.get('content-type') ?? '', /javascript/);
  const [publicDir, builtDir] = findPageDirs();
  t.is(await response.text(), await readFile(join(builtDir ?? 'not built', 'page.js'), 'utf8'));
  t.is(builtDir, join(publicDir ?? '', '..', 'dist', 'public'));
});

test('HEAD / is 405 like every other non-GET, as in the original', async (t) => {
  const response = await fetch(`${server.httpUrl}/`, { method: 'HEAD' });
  t.is(response.status, 405);
  t.is(response.headers.get('allow'), 'GET');
});

for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
  test(`${method} / is 405 with Allow: GET`, async (t) => {
    const body = method === 'OPTIONS' ? null : 'x';
    const response = await fetch(`${server.httpUrl}/`, { method, body });
    t.is(response.status, 405);
    t.is(response.headers.get('allow'), 'GET');
    await response.body?.cancel();
  });
}

test('GET on an unknown path is 404', async (t) => {
  const response = await fetch(`${server.httpUrl}/nope`);
  t.is(response.status, 404);
  await response.body?.cancel();
});

test('GET /ws without an upgrade is 426 Upgrade Required', async (t) => {
  const response = await fetch(`${server.httpUrl}/ws`);
  t.is(response.status, 426);
  t.is(response.headers.get('upgrade'), 'websocket');
  await response.body?.cancel();
});

test('a WebSocket upgrade on another path is refused with 404', async (t) => {
  const refused = await refusal(`ws://127.0.0.1:${server.port}/chat`);
  t.is(refused.status, 404);
  t.is(server.hub.state.connections.size, 0);
});

test('a WebSocket upgrade on / is refused with 404', async (t) => {
  const refused = await refusal(`ws://127.0.0.1:${server.port}/`);
  t.is(refused.status, 404);
});

test('a WebSocket upgrade on /ws with a query string is accepted', async (t) => {
  // The path decides, not the query: /ws?room=x is still the WebSocket endpoint.
  const client = await connect(`ws://127.0.0.1:${server.port}/ws?room=x`);
  t.true(client.isOpen);
  await client.close();
});

test('a raw upgrade request on another path gets a 404 status line and the socket ends', async (t) => {
  const socket = netConnect(server.port, '127.0.0.1');
  let response = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    response += chunk;
  });
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(
    'GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  await within(ended, 'the refused socket to close');
  t.regex(response, /^HTTP\/1\.1 404 /);
});

test('every answer, page or error, carries the security headers', async (t) => {
  for (const path of ['/', '/page.js', '/nope']) {
    const response = await fetch(`${server.httpUrl}${path}`);
    t.is(
      response.headers.get('content-security-policy'),
      "default-src 'self'; connect-src 'self'; frame-ancestors 'none'",
      path,
    );
    t.is(response.headers.get('x-content-type-options'), 'nosniff', path);
    t.is(response.headers.get('referrer-policy'), 'no-referrer', path);
  }
});

test('the page folder is public/ beside the package.json found upwards, and nothing past it', async (t) => {
  const { mkdtemp, mkdir, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const root = await mkdtemp(join(tmpdir(), 'hubbub-public-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  // An outer project with a page, and a package inside it without one.
  await mkdir(join(root, 'public'));
  await writeFile(join(root, 'public', 'index.html'), 'not ours');
  await writeFile(join(root, 'package.json'), '{}');
  const inner = join(root, 'inner');
  await mkdir(join(inner, 'dist'), { recursive: true });
  await writeFile(join(inner, 'package.json'), '{}');
  t.is(findPublicDir(join(inner, 'dist')), undefined);
  await mkdir(join(inner, 'public'));
  await writeFile(join(inner, 'public', 'index.html'), 'ours');
  t.is(findPublicDir(join(inner, 'dist')), join(inner, 'public'));
  t.deepEqual(findPageDirs(join(inner, 'dist')), [join(inner, 'public')]);
  await mkdir(join(inner, 'dist', 'public'));
  t.deepEqual(findPageDirs(join(inner, 'dist')), [
    join(inner, 'public'),
    join(inner, 'dist', 'public'),
  ]);
});
