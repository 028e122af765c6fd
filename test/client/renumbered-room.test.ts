import test from 'ava';
import type { JoinedRoom } from '../../src/client/index.ts';
import { waitUntil } from '../adapters/support/ws-client.ts';
import { ControlledEngine } from '../support/controlled-engine.ts';
import { startServer } from '../support/start-server.ts';
import { testedClient } from './support/client-setup.ts';

test('a room renumbered while the client is in it: the new epoch’s messages are taken from seq 1 (not dropped as seen), and a reconnect resumes in the new epoch', async (t) => {
  const engine = new ControlledEngine();
  const server = await startServer({ batchWindowMs: 0 }, { engine });
  t.teardown(() => server.stop());
  const ann = testedClient(t, server.wsUrl, 'ann');
  const bob = testedClient(t, server.wsUrl, 'bob');
  const joins: JoinedRoom[] = [];
  ann.hubbub.on('joined', (joined) => joins.push(joined));
  await ann.hubbub.join('r');
  await bob.hubbub.join('r');
  for (const text of ['m1', 'm2', 'm3']) await bob.hubbub.send('r', text);
  await waitUntil(() => ann.got.length === 3, 'ann to get the first numbering');
  engine.lose('r');
  t.deepEqual(await bob.hubbub.send('r', 'n1'), { seq: 1 });
  await bob.hubbub.send('r', 'n2');
  await waitUntil(
    () => ann.got.length === 5,
    () => `ann to get n1 and n2 (has ${ann.got.map((m) => m.text).join(' ')})`,
  );
  const renumbered = ann.got[3]?.epoch;
  t.not(renumbered, ann.got[0]?.epoch);
  // The connection is cut; what is sent meanwhile comes with the rejoin, recovered in the new epoch.
  ann.sockets.made.at(-1)?.terminate();
  await bob.hubbub.send('r', 'n3');
  await waitUntil(() => ann.got.length === 6, 'ann to get n3 after the reconnect');
  t.like(joins.at(-1), { epoch: renumbered, seq: 3, recovered: true });
  t.deepEqual(
    ann.got.map(({ epoch, seq, text }) => [epoch === renumbered ? 'new' : 'old', seq, text]),
    [
      ['old', 1, 'm1'],
      ['old', 2, 'm2'],
      ['old', 3, 'm3'],
      ['new', 1, 'n1'],
      ['new', 2, 'n2'],
      ['new', 3, 'n3'],
    ],
  );
});
