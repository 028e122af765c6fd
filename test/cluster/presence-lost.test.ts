import { createClient } from 'redis';
import { redisTestSerial } from '../support/redis-server.ts';
import { type ClusterNode, pollUntil, startCluster } from './support/cluster.ts';
import { joinNamed, presenceChanges, waitForChanges } from './support/members.ts';

// Two nodes whose presence Redis loses (a flush, a restart) while both live on; the nodes'
// subscriber connections are cut too, so each reads the room's presence again at once. With a
// TTL of 6 s each node writes its presence again within 2 s.

const ROOM = 'kept';
const TTL_MS = 6_000;

redisTestSerial(
  'presence Redis loses while every node lives on is written again, and no one is told that members left',
  async (t) => {
    const { redis, nodes } = await startCluster(t, 2, ['--presence-ttl-ms', String(TTL_MS)]);
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const admin = createClient({ url: redis.url });
    admin.on('error', () => {});
    await admin.connect();
    t.teardown(() => admin.destroy());
    const ann = await joinNamed(t, a, 'ann', ROOM);
    const bob = await joinNamed(t, b, 'bob', ROOM);
    await waitForChanges(ann.client, ROOM, ['+bob'], 'ann');

    const key = `hubbub:{${ROOM}}:presence`;
    t.is(await admin.hLen(key), 2, 'one entry per node');
    t.is(await admin.del(key), 1);
    t.is(Number(await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub'])), nodes.length);
    await pollUntil(async () => (await admin.hLen(key)) === 2, 'both nodes to write it again');

    // A change after it all: told after anything the loss made either node tell.
    await joinNamed(t, b, 'carl', ROOM);
    await waitForChanges(ann.client, ROOM, ['+bob', '+carl'], 'ann');
    await waitForChanges(bob.client, ROOM, ['+carl'], 'bob');
    t.deepEqual(presenceChanges(ann.client, ROOM), ['+bob', '+carl'], 'ann, on a');
    t.deepEqual(presenceChanges(bob.client, ROOM), ['+carl'], 'bob, on b');
  },
);
