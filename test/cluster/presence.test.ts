import type { V2TestClient } from '../adapters/support/v2-client.ts';
import { waitUntil } from '../adapters/support/ws-client.ts';
import { redisTestSerial } from '../support/redis-server.ts';
import { type ClusterNode, startCluster } from './support/cluster.ts';
import { type Member, membersBecome, membersSeenBy, sortedMembers } from './support/members.ts';
import { openV2 } from './support/room-log.ts';

// Presence across nodes on one Redis, with a presence TTL of 1.5 s.

const ROOM = 'people';
const TTL_MS = 1_500;
/** How long a dead node's members may take to go: the TTL, a sweep, and room for a busy machine. */
const GONE_WITHIN_MS = 4 * TTL_MS;

/** The names in the member_joined / member_left items `client` got, in order. */
const changes = (client: V2TestClient): string[] =>
  client.items.flatMap((item) =>
    item.room === ROOM && (item.type === 'member_joined' || item.type === 'member_left')
      ? [`${item.type === 'member_joined' ? '+' : '-'}${String(item.name)}`]
      : [],
  );

const waitForChanges = (client: V2TestClient, who: string, expected: readonly string[]) =>
  waitUntil(
    () => changes(client).length >= expected.length,
    () => `${who} to see ${expected.join(' ')} (saw ${changes(client).join(' ')})`,
    GONE_WITHIN_MS,
  );

const membersOn = (client: V2TestClient, node: string, expected: readonly Member[]) =>
  membersBecome(client, ROOM, expected, node, GONE_WITHIN_MS);

const joinNamed = async (t: Parameters<typeof openV2>[0], node: ClusterNode, name: string) => {
  const client = await openV2(t, node, name);
  const joined = await client.join(ROOM);
  return { client, members: sortedMembers(joined.members) };
};

redisTestSerial(
  'members on two nodes see each other in joined, members and member_joined / member_left',
  async (t) => {
    const { nodes } = await startCluster(t, 2, ['--presence-ttl-ms', String(TTL_MS)]);
    const [a, b] = nodes as [ClusterNode, ClusterNode];

    const ann = await joinNamed(t, a, 'ann');
    t.deepEqual(ann.members, [{ name: 'ann', connections: 1 }]);
    const bobOnB = await joinNamed(t, b, 'bob');
    t.deepEqual(bobOnB.members, [
      { name: 'ann', connections: 1 },
      { name: 'bob', connections: 1 },
    ]);
    await waitForChanges(ann.client, 'ann', ['+bob']);

    // A second connection of bob, on a: one name with two connections over two nodes, and no
    // one is told he joined again.
    const bobOnA = await joinNamed(t, a, 'bob');
    const annAndTwoBobs = [
      { name: 'ann', connections: 1 },
      { name: 'bob', connections: 2 },
    ];
    t.deepEqual(bobOnA.members, annAndTwoBobs);
    t.deepEqual(await membersSeenBy(ann.client, ROOM), annAndTwoBobs, 'members, asked on a');
    await membersOn(bobOnB.client, 'b', annAndTwoBobs);
    t.deepEqual(changes(ann.client), ['+bob']);
    t.deepEqual(changes(bobOnB.client), []);

    // bob leaves b: he is still in the room on a, so no one is told he left.
    await bobOnB.client.close();
    const annAndBob = [
      { name: 'ann', connections: 1 },
      { name: 'bob', connections: 1 },
    ];
    await membersOn(ann.client, 'a', annAndBob);
    t.deepEqual(changes(ann.client), ['+bob']);

    // ann joins on b too, then bob's last connection goes: ann hears it on both nodes.
    const annOnB = await joinNamed(t, b, 'ann');
    t.deepEqual(annOnB.members, [
      { name: 'ann', connections: 2 },
      { name: 'bob', connections: 1 },
    ]);
    await bobOnA.client.close();
    await waitForChanges(ann.client, 'ann on a', ['+bob', '-bob']);
    await waitForChanges(annOnB.client, 'ann on b', ['-bob']);
    t.deepEqual(changes(ann.client), ['+bob', '-bob']);
    t.deepEqual(changes(annOnB.client), ['-bob']);
    t.deepEqual(await membersSeenBy(annOnB.client, ROOM), [{ name: 'ann', connections: 2 }]);
  },
);

redisTestSerial(
  "a SIGKILLed node's members disappear from the other nodes within the TTL",
  async (t) => {
    const { nodes } = await startCluster(t, 3, ['--presence-ttl-ms', String(TTL_MS)]);
    const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const ann = await joinNamed(t, a, 'ann');
    const dave = await joinNamed(t, a, 'dave');
    const cid = await joinNamed(t, c, 'cid');
    for (const name of ['bob', 'carl', 'dave']) await joinNamed(t, b, name);
    const everyone = [
      { name: 'ann', connections: 1 },
      { name: 'bob', connections: 1 },
      { name: 'carl', connections: 1 },
      { name: 'cid', connections: 1 },
      { name: 'dave', connections: 2 },
    ];
    await membersOn(ann.client, 'a', everyone);
    await membersOn(cid.client, 'c', everyone);
    const before = { ann: changes(ann.client), cid: changes(cid.client) };

    await b.sigkill();
    const gone = ['-bob', '-carl'];
    await waitForChanges(ann.client, 'ann on a', [...before.ann, ...gone]);
    await waitForChanges(cid.client, 'cid on c', [...before.cid, ...gone]);
    t.deepEqual(changes(ann.client).slice(before.ann.length).sort(), gone, 'told on a');
    t.deepEqual(changes(cid.client).slice(before.cid.length).sort(), gone, 'told on c');
    const left = [
      { name: 'ann', connections: 1 },
      { name: 'cid', connections: 1 },
      { name: 'dave', connections: 1 },
    ];
    t.deepEqual(await membersSeenBy(dave.client, ROOM), left, 'dave, still on a');
    t.deepEqual(await membersSeenBy(cid.client, ROOM), left, 'on c');
    // A node that joins the room now does not list the dead node's members either.
    const erin = await joinNamed(t, c, 'erin');
    t.deepEqual(erin.members, sortedMembers([...left, { name: 'erin', connections: 1 }]));
  },
);

redisTestSerial(
  'a node stopped with SIGTERM takes its members out at once, not after the TTL',
  async (t) => {
    // A TTL far longer than any wait here: only the node's own removal can tell them gone.
    const { nodes } = await startCluster(t, 2, ['--presence-ttl-ms', '600000']);
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const ann = await joinNamed(t, a, 'ann');
    const bob = await joinNamed(t, b, 'bob');
    t.deepEqual(bob.members, [
      { name: 'ann', connections: 1 },
      { name: 'bob', connections: 1 },
    ]);
    await waitForChanges(ann.client, 'ann', ['+bob']);
    t.like(await b.sigterm(), { code: 0 });
    await waitForChanges(ann.client, 'ann', ['+bob', '-bob']);
    t.deepEqual(changes(ann.client), ['+bob', '-bob']);
    t.deepEqual(await membersSeenBy(ann.client, ROOM), [{ name: 'ann', connections: 1 }]);
  },
);
