import type { ExecutionContext } from 'ava';
import { createClient } from 'redis';
import { redisTestSerial } from '../support/redis-server.ts';
import { type ClusterNode, pollUntil, startCluster } from './support/cluster.ts';
import {
  numbering,
  openV2,
  seenIn,
  sendAll,
  sendUntilAcked,
  texts,
  waitForText,
} from './support/room-log.ts';

// Nodes on one Redis: a member on each, a publisher on b; Redis cuts every subscriber
// connection (CLIENT KILL TYPE pubsub), or every command connection, while messages flow.

const ROOM = 'cut';

/** `count` nodes, a member of ROOM on each, a publisher on b, and a Redis client to cut them. */
const setUp = async (t: ExecutionContext, count: number) => {
  const { redis, nodes } = await startCluster(t, count);
  const admin = createClient({ url: redis.url });
  admin.on('error', () => {}); // a failed command rejects; the test sees it there
  await admin.connect();
  t.teardown(() => admin.destroy());
  const members = await Promise.all(nodes.map((node) => openV2(t, node, `member-${node.name}`)));
  for (const member of members) await member.join(ROOM);
  const publisher = await openV2(t, nodes[1] as ClusterNode, 'publisher');
  await publisher.join(ROOM);
  const clients = async (type?: string) => {
    const list = await admin.sendCommand(['CLIENT', 'LIST', ...(type ? ['TYPE', type] : [])]);
    return (String(list).match(/^id=/gm) ?? []).length;
  };
  const cut = async (type = 'pubsub') =>
    Number(await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', type]));
  t.is(await clients('pubsub'), nodes.length, 'one subscriber connection per node');
  return { nodes, admin, readers: [...members, publisher], publisher, clients, cut };
};

/** Waits until every reader got the last of `all`, then checks each got exactly `all`, in order. */
const everyReaderGot = async (
  t: ExecutionContext,
  readers: Parameters<typeof seenIn>[0][],
  all: readonly string[],
) => {
  const expected = all.map((text, i) => [i + 1, text]);
  for (const [r, reader] of readers.entries()) {
    await waitForText(reader, ROOM, all.at(-1) as string, `reader ${r}`);
    t.deepEqual(numbering(seenIn(reader, ROOM)), expected, `reader ${r}`);
  }
};

redisTestSerial(
  'CLIENT KILL TYPE pubsub in the middle of a stream: every member on every node gets every message once, in order',
  async (t) => {
    const { nodes, readers, publisher, clients, cut } = await setUp(t, 3);
    const cuts: Promise<number>[] = [];
    const all = texts('s', 200);
    const acked = await sendAll(publisher, ROOM, all, {
      acked: (count) => {
        if (count === 60 || count === 130) cuts.push(cut());
      },
    });
    t.deepEqual(await Promise.all(cuts), [nodes.length, nodes.length], 'each cut every node');
    t.deepEqual(
      acked,
      all.map((_, i) => i + 1),
    );
    await everyReaderGot(t, readers, all);
    await pollUntil(
      async () => (await clients('pubsub')) === nodes.length,
      'every node to subscribe again',
    );
  },
);

redisTestSerial(
  'subscriber connections cut and kept out while the stream ends: each node reads what it missed once back',
  async (t) => {
    const { nodes, admin, readers, publisher, clients, cut } = await setUp(t, 2);
    const first = texts('before', 20);
    await sendAll(publisher, ROOM, first);
    await everyReaderGot(t, readers, first);

    // Redis takes no new connection for now: the subscribers it cuts cannot come back yet.
    const connected = await clients();
    await admin.sendCommand(['CONFIG', 'SET', 'maxclients', String(connected - nodes.length)]);
    t.is(await cut(), nodes.length);
    const missed = texts('missed', 5);
    await sendAll(publisher, ROOM, missed);
    t.is(await clients('pubsub'), 0, 'published while no node was subscribed');
    await admin.sendCommand(['CONFIG', 'SET', 'maxclients', '10000']);

    await everyReaderGot(t, readers, [...first, ...missed]);
  },
);

redisTestSerial(
  'CLIENT KILL TYPE normal mid-stream: sends refused while the nodes reconnect are sent again under their id, and every member gets every message once, in order',
  async (t) => {
    const { nodes, readers, publisher, cut } = await setUp(t, 3);
    const all = texts('n', 150);
    const acked: number[] = [];
    let refused = 0;
    for (const [i, text] of all.entries()) {
      // Not awaited: the cut lands while the next sends are on their way.
      const cutting = i % 50 === 25 ? cut('normal') : undefined;
      const answer = await sendUntilAcked(publisher, ROOM, text);
      acked.push(answer.seq);
      refused += answer.refused;
      if (cutting !== undefined) t.is(await cutting, nodes.length, 'every node was cut');
    }
    t.log(`${refused} sends refused (unavailable) and sent again`);
    t.deepEqual(
      acked,
      all.map((_, i) => i + 1),
    );
    await everyReaderGot(t, readers, all);
  },
);
