import test from 'ava';
import { startServer } from '../../support/start-server.ts';
import { postSend, TEXT_PLAIN } from '../support/post-send.ts';
import {
  broadcastCount,
  connectMany,
  connectRegistered,
  type TestClient,
  waitUntil,
} from '../support/ws-client.ts';

// Issue 11, finding 4: the rate limit was per connection only, so 200 connections from one
// address could each send a full burst (7800 messages at once) with no refusal. Every message
// from an address, over all its connections and POST /send, now also takes from one budget
// (--rate-limit-per-ip: on average, twice that at once).

const PER_IP = 5; // a burst of 10 messages per address
const CONNECTIONS = 10;
const EACH = 39; // within each connection's own burst of 40

test('connections from one address share a budget: past it senders get 1008 and POST /send 429, while another address keeps chatting', async (t) => {
  const server = await startServer({
    rateLimit: 20,
    rateLimitBurst: 40,
    rateLimitPerIp: PER_IP,
    batchWindowMs: 0,
  });
  t.teardown(() => server.stop());
  const senders = await connectMany(server, CONNECTIONS);
  const elsewhere = await connectRegistered(server, { localAddress: '127.0.0.2' });
  const everyone: TestClient[] = [...senders, elsewhere];
  t.teardown(() => Promise.all(everyone.map((client) => client.close())));

  for (const [i, sender] of senders.entries()) {
    for (let n = 0; n < EACH; n++) sender.send(`c${i} m${n}`);
  }
  await waitUntil(
    () => senders.every((sender) => sender.closedWith !== undefined),
    'every sender to be refused once the address is past its budget',
  );
  const refused = senders.filter((sender) => sender.closedWith !== undefined);
  for (const sender of refused) {
    t.deepEqual(sender.closedWith, {
      code: 1008,
      reason: 'rate limit exceeded: too many messages',
    });
  }
  const published = broadcastCount(server);
  // The burst, and what refilled while the messages arrived.
  t.true(published >= 2 * PER_IP, 'the budget itself was used');
  t.true(published <= 4 * PER_IP, `${published} of ${CONNECTIONS * EACH} broadcast`);

  // POST /send from the same address takes from the same budget: refused long before its own
  // per-address limit (--rate-limit-burst, 40) would refuse it.
  const statuses: number[] = [];
  while (statuses.length < 20 && !statuses.includes(429)) {
    statuses.push((await postSend(server.httpUrl, 'one more', TEXT_PLAIN)).status);
  }
  t.true(statuses.includes(429), `POST /send answers: ${statuses.join(' ')}`);

  // Another address is not affected.
  elsewhere.send('still here');
  await waitUntil(() => elsewhere.messages.includes('still here'), 'the other address to be heard');
  t.is(elsewhere.closedWith, undefined);
});
