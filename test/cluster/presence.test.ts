import type { V2TestClient } from '../adapters/support/v2-client.ts';
import { redisTestSerial } from '../support/redis-server.ts';
import { type ClusterNode, startCluster } from './support/cluster.ts';
import {
  joinNamed,
  type Member,
  membersBecome,
  membersSeenBy,
  presenceChanges,
  sortedMembers,
  waitForChanges,
} from './support/members.ts';

// Presence across nodes on one Redis, with a presence TTL of 1.5 s.

const ROOM = 'people';
const TTL_MS = 1_500;
/** How long a dead node's members may take to go: the TTL, a sweep, and room for a busy machine. */
const GONE_WITHIN_MS = 4 * TTL_MS;

const membersOn = (client: V2TestClient, node: string, expected: readonly Member[]) =>
  membersBecome(client, ROOM, expected, node, GONE_WITHIN_MS);

redisTestSerial(
  'members on two nodes see each other in joined, members and member_joined / member_left',
  async (t) => {
    const { nodes } = await startCluster(t, 2, ['--presence-ttl-ms', String(TTL_MS)]);
    const [a, b] = nodes as [ClusterNode, ClusterNode];

    const ann = await joinNamed(t, a, 'ann', ROOM);
    t.deepEqual(ann.members, [{ name: 'ann', connections: 1 }]);
    const bobOnB = await joinNamed(t, b, 'bob', ROOM);
    t.deepEqual(bobOnB.members, [
      { name: 'ann', connections: 1 },
      { name: 'bob', connections: 1 },
    ]);
    await waitForChanges(ann.client, ROOM, ['+bob'], 'ann', GONE_WITHIN_MS);

    // A second connection of bob, on a: one name with two connections over two nodes, and no
    // one is told he joined again.
    const bobOnA = await joinNamed(t, a, 'bob', ROOM);
    const annAndTwoBobs = [
      { name: 'ann', connections: 1 },
      { name: 'bob', connections: 2 },
    ];
    t.deepEqual(bobOnA.members, annAndTwoBobs);
    t.deepEqual(await membersSeenBy(ann.client, ROOM), annAndTwoBobs, 'members, asked on a');
    await membersOn(bobOnB.client, 'b', annAndTwoBobs);
    t.deepEqual(presenceChanges(ann.client, ROOM), ['+bob']);
    t.deepEqual(presenceChanges(bobOnB.client, ROOM), []);

    // bob leaves b: he is still in the room on a, so no one is told he left.
    await bobOnB.client.close();
    const annAndBob = [
      { name: 'ann', connections: 1 },
      { name: 'bob', connections: 1 },
    ];
    await membersOn(ann.client, 'a', annAndBob);
    t.deepEqual(presenceChanges(ann.client, ROOM), ['+bob']);

    // ann joins on b too, then bob's last connection goes: ann hears it on both nodes.
    const annOnB = await joinNamed(t, b, 'ann', ROOM);
    t.deepEqual(annOnB.members, [
      { name: 'ann', connections: 2 },
      { name: 'bob', connections: 1 },
    ]);
    await bobOnA.client.close();
    await waitForChanges(ann.client, ROOM, ['+bob', '-bob'], 'ann on a', GONE_WITHIN_MS);
    await waitForChanges(annOnB.client, ROOM, ['-bob'], 'ann on b', GONE_WITHIN_MS);
    t.deepEqual(presenceChanges(ann.client, ROOM), ['+bob', '-bob']);
    t.deepEqual(presenceChanges(annOnB.client, ROOM), ['-bob']);
    t.deepEqual(await membersSeenBy(annOnB.client, ROOM), [{ name: 'ann', connections: 2 }]);
  },
);

redisTestSerial(
  "a SIGKILLed node's members disappear from the other nodes within the TTL",
  async (t) => {
    const { nodes } = await startCluster(t, 3, ['--presence-ttl-ms', String(TTL_MS)]);
    const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const ann = await joinNamed(t, a, 'ann', ROOM);
    const dave = await joinNamed(t, a, 'dave', ROOM);
    const cid = await joinNamed(t, c, 'cid', ROOM);
    for (const name of ['bob', 'carl', 'dave']) await joinNamed(t, b, name, ROOM);
    const everyone = [
      { name: 'ann', connections: 1 },
      { name: 'bob', connections: 1 },
      { name: 'carl', connections: 1 },
      { name: 'cid', connections: 1 },
      { name: 'dave', connections: 2 },
    ];
    await membersOn(ann.client, 'a', everyone);
    await membersOn(cid.client, 'c', everyone);
    const before = {
      ann: presenceChanges(ann.client, ROOM),
      cid: presenceChanges(cid.client, ROOM),
    };

    await b.sigkill();
    const gone = ['-bob', '-carl'];
    await waitForChanges(ann.client, ROOM, [...before.ann, ...gone], 'ann on a', GONE_WITHIN_MS);
    await waitForChanges(cid.client, ROOM, [...before.cid, ...gone], 'cid on c', GONE_WITHIN_MS);
    t.deepEqual(
      presenceChanges(ann.client, ROOM).slice(before.ann.length).sort(),
      gone,
      'told on a',
    );
    t.deepEqual(
      presenceChanges(cid.client, ROOM).slice(before.cid.length).sort(),
      gone,
      'told on c',
    );
    const left = [
      { name: 'ann', connections: 1 },
      { name: 'cid', connections: 1 },
      { name: 'dave', connections: 1 },
    ];
    t.deepEqual(await membersSeenBy(dave.client, ROOM), left, 'dave, still on a');
    t.deepEqual(await membersSeenBy(cid.client, ROOM), left, 'on c');
    // A node that joins the room now does not list the dead node's members either.
    const erin = await joinNamed(t, c, 'erin', ROOM);
    t.deepEqual(erin.members, sortedMembers([...left, { name: 'erin', connections: 1 }]));
  },
);

redisTestSerial(
  'a node stopped with SIGTERM takes its members out at once, not after the TTL',
  async (t) => {
    // A TTL far longer than any wait here: only the node's own removal can tell them gone.
    const { nodes } = await startCluster(t, 2, ['--presence-ttl-ms', '600000']);
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const ann = await joinNamed(t, a, 'ann', ROOM);
    const bob = await joinNamed(t, b, 'bob', ROOM);
    t.deepEqual(bob.members, [
      { name: 'ann', connections: 1 },
      { name: 'bob', connections: 1 },
    ]);
    await waitForChanges(ann.client, ROOM, ['+bob'], 'ann', GONE_WITHIN_MS);
    t.like(await b.sigterm(), { code: 0 });
    await waitForChanges(ann.client, ROOM, ['+bob', '-bob'], 'ann', GONE_WITHIN_MS);
    t.deepEqual(presenceChanges(ann.client, ROOM), ['+bob', '-bob']);
    t.deepEqual(await membersSeenBy(ann.client, ROOM), [{ name: 'ann', connections: 1 }]);
  },
);
