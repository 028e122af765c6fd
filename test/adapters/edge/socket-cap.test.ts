import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import test from 'ava';
import type { Admission } from '../../../src/adapters/kit/admission.ts';
import { KIT_TOKENS } from '../../../src/adapters/kit/kit.tokens.ts';
import { startServer } from '../../support/start-server.ts';
import { waitUntil, within } from '../support/ws-client.ts';

// Issue 11, finding 3: idle sockets from one address used to be held until the handshake
// timeout, uncounted, so one address could take every file descriptor. Every socket is now
// counted from accept: past --max-connections-per-ip the next one is answered 429 and closed
// at once, and other addresses are served.

type Idle = { socket: Socket; answer: string; closed: boolean };

const openIdle = (port: number): Idle => {
  const idle: Idle = { socket: connect(port, '127.0.0.1'), answer: '', closed: false };
  idle.socket.setEncoding('latin1');
  idle.socket.on('data', (chunk: string) => {
    idle.answer += chunk;
  });
  idle.socket.on('error', () => {});
  idle.socket.on('close', () => {
    idle.closed = true;
  });
  return idle;
};

const healthFrom = (port: number, localAddress: string): Promise<number> =>
  within(
    new Promise((resolve, reject) => {
      const request = get(
        { host: '127.0.0.1', port, path: '/healthz', agent: false, localAddress },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
    }),
    `GET /healthz from ${localAddress}`,
  );

test('sockets that send nothing count against --max-connections-per-ip from accept: the next is refused at once with 429, others are served', async (t) => {
  // A handshake timeout far beyond the test: only the cap can close these sockets.
  const server = await startServer({ maxConnectionsPerIp: 20, handshakeTimeoutMs: 600_000 });
  t.teardown(() => server.stop());
  const held = Array.from({ length: 20 }, () => openIdle(server.port));
  t.teardown(() => {
    for (const idle of [...held, ...over]) idle.socket.destroy();
  });
  await waitUntil(
    () => held.every((idle) => idle.socket.readyState === 'open'),
    'twenty idle sockets',
  );
  const over = Array.from({ length: 10 }, () => openIdle(server.port));
  await waitUntil(() => over.every((idle) => idle.closed), 'the ten over the cap to be closed');
  for (const idle of over) t.regex(idle.answer, /^HTTP\/1\.1 429 /);
  t.true(
    held.every((idle) => !idle.closed),
    'the twenty under the cap are kept',
  );

  t.is(await healthFrom(server.port, '127.0.0.2'), 200, 'another address is served');
  t.true(
    server.logger.lines.some(
      (line) =>
        line.message === 'connection rejected' && line.fields.reason === 'max_connections_per_ip',
    ),
    'the refusal is logged',
  );

  // A place given back is free again, and taken again.
  const admission = server.container.get<Admission>(KIT_TOKENS.Admission);
  (held[0] as Idle).socket.destroy();
  await waitUntil(() => admission.socketsFrom('127.0.0.1') === 19, 'the server to see it close');
  const again = openIdle(server.port);
  t.teardown(() => again.socket.destroy());
  await waitUntil(() => admission.socketsFrom('127.0.0.1') === 20, 'the new one to be counted');
  t.false(again.closed);
  t.is(await healthFrom(server.port, '127.0.0.1'), 429, 'full again');
});
