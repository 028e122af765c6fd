import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import test from 'ava';
import { dispatchUpgrades } from '../../../src/adapters/http/upgrades.ts';
import type { UpgradeRoute } from '../../../src/adapters/kit/http-route.ts';
import { RecordingLogger } from '../../support/recording-logger.ts';
import { within } from '../support/ws-client.ts';

const answering = (path: string, text: string): UpgradeRoute => ({
  path,
  handle: (_request, socket) => {
    socket.end(
      `HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: ${text.length}\r\n\r\n${text}`,
    );
  },
});

const upgrade = (port: number, path: string, head = 'HTTP/1.1\r\nHost: x'): Promise<string> => {
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    answer += chunk;
  });
  socket.write(`GET ${path} ${head}\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n`);
  return within(new Promise((resolve) => socket.on('close', () => resolve(answer))), 'the answer');
};

test('several upgrade transports share one server, each on its own path; others get 404', async (t) => {
  const throwing: UpgradeRoute = {
    path: '/boom',
    handle: () => {
      throw new Error('route bug');
    },
  };
  const logger = new RecordingLogger();
  const server = createServer();
  server.on(
    'upgrade',
    dispatchUpgrades([answering('/a', 'A'), answering('/b', 'B'), throwing], logger, () => {}),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  t.regex(await upgrade(port, '/a?x=1'), /200 OK[\s\S]*A$/);
  t.regex(await upgrade(port, '/b'), /200 OK[\s\S]*B$/);
  t.regex(await upgrade(port, '/c'), /^HTTP\/1\.1 404 /);
  t.regex(await upgrade(port, '//['), /^HTTP\/1\.1 404 /);
  t.is(await upgrade(port, '/boom'), '');
  t.true(logger.lines.some((line) => line.level === 'error' && line.message === 'upgrade failed'));
});

test('an upgrade without a Host, or not over HTTP/1.1, gets 400 and reaches no route', async (t) => {
  const refused: string[] = [];
  let reached = 0;
  const route: UpgradeRoute = {
    path: '/a',
    handle: (...args) => {
      reached += 1;
      answering('/a', 'A').handle(...args);
    },
  };
  const server = createServer();
  server.on(
    'upgrade',
    dispatchUpgrades([route], new RecordingLogger(), (request) => {
      refused.push(request.httpVersion);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  t.regex(await upgrade(port, '/a', 'HTTP/1.1'), /^HTTP\/1\.1 400 [\s\S]*Host header$/);
  t.regex(await upgrade(port, '/a', 'HTTP/1.0\r\nHost: x'), /^HTTP\/1\.1 400 /);
  t.is(reached, 0);
  t.deepEqual(refused, ['1.1', '1.0']);
  t.regex(await upgrade(port, '/a'), /200 OK[\s\S]*A$/);
});
