import { connect } from 'node:net';
import test from 'ava';
import { SECURITY_HEADERS } from '../../../src/adapters/kit/security-headers.ts';
import { startServer } from '../../support/start-server.ts';
import { postSend, TEXT_PLAIN } from '../support/post-send.ts';
import { within } from '../support/ws-client.ts';

// Issue 11, finding 7: every 429 wrote its own warning line; upgrades without `Host`, or over
// HTTP/1.0, were accepted; the health checks and the raw answers lacked the security headers.

/** Writes `request` on a socket of its own and resolves with the whole answer, once closed. */
const rawAnswer = (port: number, request: string, localAddress = '127.0.0.1'): Promise<string> => {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  socket.setEncoding('latin1');
  socket.on('error', () => {});
  let answer = '';
  socket.on('data', (chunk: string) => {
    answer += chunk;
    // A keep-alive answer, or a switch to WebSocket, does not close: one answer is enough.
    const [head, body = ''] = answer.split('\r\n\r\n', 2);
    const length = /\r\ncontent-length: (\d+)/i.exec(head ?? '');
    const complete = length !== null && Buffer.byteLength(body, 'latin1') >= Number(length[1]);
    const switched = answer.startsWith('HTTP/1.1 101 ') && answer.includes('\r\n\r\n');
    if (complete || switched) socket.destroy();
  });
  if (request !== '') socket.write(request);
  return within(
    new Promise((resolve) => socket.once('close', () => resolve(answer))),
    `the answer to ${JSON.stringify(request.split('\r\n', 1)[0])}`,
  );
};

const upgradeHead = (version: string, host: string | undefined): string =>
  `GET /ws HTTP/${version}\r\n${host === undefined ? '' : `Host: ${host}\r\n`}` +
  'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';

const hasSecurityHeaders = (answer: string): boolean => {
  const head = answer.split('\r\n\r\n', 1)[0]?.toLowerCase() ?? '';
  return Object.entries(SECURITY_HEADERS).every(([name, value]) =>
    head.includes(`\r\n${name.toLowerCase()}: ${value.toLowerCase()}`),
  );
};

test('an upgrade without a Host, or over HTTP/1.0, gets 400 and never joins the hub', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  t.regex(await rawAnswer(server.port, upgradeHead('1.1', undefined)), /^HTTP\/1\.1 400 /);
  t.regex(await rawAnswer(server.port, upgradeHead('1.0', '127.0.0.1')), /^HTTP\/1\.1 400 /);
  t.regex(await rawAnswer(server.port, upgradeHead('1.0', undefined)), /^HTTP\/1\.1 400 /);
  t.is(server.events.filter((event) => event.type === 'Registered').length, 0);
  t.regex(
    await rawAnswer(server.port, upgradeHead('1.1', `127.0.0.1:${server.port}`)),
    /^HTTP\/1\.1 101 /,
    'with both it is accepted',
  );
});

test('every answer carries the security headers: health checks, Koa errors, and raw answers on the socket', async (t) => {
  const server = await startServer({ maxConnectionsPerIp: 4, handshakeTimeoutMs: 300 });
  t.teardown(() => server.stop());
  const { port } = server;
  const answers: Record<string, string> = {
    healthz: await rawAnswer(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'),
    readyz: await rawAnswer(port, 'GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n'),
    'not found': await rawAnswer(port, 'GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n'),
    'malformed path': await rawAnswer(port, 'GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n'),
    'bad request (400)': await rawAnswer(port, 'NOT HTTP AT ALL\r\n\r\n'),
    'origin refused (403)': await rawAnswer(
      port,
      upgradeHead('1.1', 'x').replace('\r\n\r\n', '\r\nOrigin: http://evil.example\r\n\r\n'),
    ),
    'upgrade without Host (400)': await rawAnswer(port, upgradeHead('1.1', undefined)),
    'too slow (408)': await rawAnswer(port, 'GET / HTTP/1.1\r\nHost: x\r\n'),
  };
  for (const [what, answer] of Object.entries(answers)) {
    t.regex(answer, /^HTTP\/1\.1 \d{3} /, `${what} answered`);
    t.true(hasSecurityHeaders(answer), `${what}: ${answer.split('\r\n\r\n', 1)[0]}`);
  }
  t.regex(answers['too slow (408)'] ?? '', /^HTTP\/1\.1 408 /);
  t.regex(answers['origin refused (403)'] ?? '', /^HTTP\/1\.1 403 /);
});

test('a flood of refusals from one address is counted in full but logged once, then as one line with the count', async (t) => {
  const server = await startServer({ rateLimit: 1, rateLimitBurst: 2 });
  t.teardown(() => server.stop());
  const statuses: number[] = [];
  for (let i = 0; i < 60; i++) {
    statuses.push((await postSend(server.httpUrl, `m${i}`, TEXT_PLAIN)).status);
  }
  const refusals = statuses.filter((status) => status === 429).length;
  t.true(refusals >= 50, `${refusals} refused`);
  const single = server.logger.lines.filter((line) => line.message === 'connection rejected');
  t.is(single.length, 1, 'one line for the address in this interval');
  await server.stop(); // at shutdown the interval's count is written
  const summary = server.logger.lines.filter((line) => line.message === 'connections rejected');
  t.is(summary.length, 1);
  t.like(summary[0]?.fields, { address: '127.0.0.1', count: refusals - 1 });
});
