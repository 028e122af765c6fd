import { createClient } from 'redis';
import { waitUntil } from '../adapters/support/ws-client.ts';
import { redisTestSerial } from '../support/redis-server.ts';
import { type ClusterNode, pollUntil, startCluster } from './support/cluster.ts';
import { numbering, openV2, seenIn, sendAll, texts, waitForText } from './support/room-log.ts';

// Two nodes with a history of 10 messages. Node a's subscriber connection is cut and kept out
// while 30 messages are published: the stream no longer holds what a missed.

const ROOM = 'outrun';

redisTestSerial(
  'a node whose subscriber was away while more than the history was published is not left stuck on the gap',
  async (t) => {
    const { redis, nodes } = await startCluster(t, 2, ['--history-size', '10']);
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const admin = createClient({ url: redis.url });
    admin.on('error', () => {});
    await admin.connect();
    t.teardown(() => admin.destroy());
    const clients = async (type: string[] = []) =>
      (String(await admin.sendCommand(['CLIENT', 'LIST', ...type])).match(/^id=/gm) ?? []).length;

    const through = await openV2(t, a, 'through');
    await through.join(ROOM);
    const publisher = await openV2(t, b, 'publisher');
    await publisher.join(ROOM);
    await sendAll(publisher, ROOM, texts('before', 3));
    await waitForText(through, ROOM, 'before3', 'the member on a');

    // Redis takes no new connection for now: the subscribers it cuts cannot come back yet.
    const connected = await clients();
    await admin.sendCommand(['CONFIG', 'SET', 'maxclients', String(connected - nodes.length)]);
    await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    await sendAll(publisher, ROOM, texts('away', 30));
    await admin.sendCommand(['CONFIG', 'SET', 'maxclients', '10000']);
    // Node a either subscribes again, or finds the gap at once and lets its members go (its
    // room then has no member there, and it unsubscribes).
    await pollUntil(
      async () =>
        through.closed !== undefined || (await clients(['TYPE', 'pubsub'])) === nodes.length,
      'both nodes to subscribe again, or the member on a to be closed',
    );

    // Node b missed the same messages (its subscriber was cut too): once it has dealt with that
    // (its publisher given everything, or let go), a new member there speaks.
    await waitUntil(
      () =>
        publisher.closed !== undefined ||
        seenIn(publisher, ROOM).some((message) => message.text === 'away30'),
      'node b to catch up or let its members go',
    );
    const speaker = await openV2(t, b, 'speaker');
    await speaker.join(ROOM);
    await sendAll(speaker, ROOM, ['after']);
    const newcomer = await openV2(t, a, 'newcomer');
    await newcomer.join(ROOM);
    await sendAll(speaker, ROOM, ['after 2']);
    await waitForText(newcomer, ROOM, 'after 2', 'a member who joined a after the outage');

    // The member connected through it cannot be handed what the stream lost: it is either
    // given every message or closed, so that it resumes and learns what it missed.
    const last = () => seenIn(through, ROOM).at(-1)?.text === 'after 2';
    await waitUntil(
      () => through.closed !== undefined || last(),
      'the member on a to get the last message or be closed',
    );
    if (through.closed === undefined) {
      const all = [...texts('before', 3), ...texts('away', 30), 'after', 'after 2'];
      t.deepEqual(
        numbering(seenIn(through, ROOM)),
        all.map((text, i) => [i + 1, text]),
      );
    } else {
      t.pass(`closed with ${JSON.stringify(through.closed)}`);
    }
  },
);
