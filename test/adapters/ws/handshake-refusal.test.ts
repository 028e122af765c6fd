import { randomBytes } from 'node:crypto';
import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { RawClient } from '../support/raw-client.ts';
import { waitUntil } from '../support/ws-client.ts';

const upgrade = (method: string, version: string): string =>
  `${method} /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
  `Sec-WebSocket-Version: ${version}\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`;

const answerTo = async (port: number, request: string): Promise<string> => {
  const client = await RawClient.open(port);
  client.write(request);
  await client.closedAt;
  return client.answer;
};

// Counting malformed handshakes must not change the answers RFC 6455 (4.2.2) asks for.
test('an upgrade with another method gets 405 with Allow: GET, and is counted', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const answer = await answerTo(server.port, upgrade('POST', '13'));
  t.regex(answer, /^HTTP\/1\.1 405 Method Not Allowed\r\n/);
  t.regex(answer, /\r\nAllow: GET\r\n/);
  await waitUntil(
    () => server.logger.lines.some((line) => line.fields.reason === 'bad_request'),
    'the rejection to be logged',
  );
});

test('an unsupported version gets 400 naming the versions the server speaks', async (t) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const answer = await answerTo(server.port, upgrade('GET', '7'));
  t.regex(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
  t.regex(answer, /\r\nSec-WebSocket-Version: 13, 8\r\n/);
});
