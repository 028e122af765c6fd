import { redisTestSerial } from '../support/redis-server.ts';
import { startCluster } from './support/cluster.ts';
import { numbering, openV2, seenIn, sendAll, texts, waitForText } from './support/room-log.ts';

// Three nodes on one Redis: two members on each, and publishers on a and b sending at once.

const EACH = 120;
const ROOMS = ['shared', 'other'] as const;

redisTestSerial(
  'concurrent publishers on two nodes: every member on every node sees the identical sequence, without gaps',
  async (t) => {
    const { nodes } = await startCluster(t, 3);
    const members = await Promise.all(
      nodes.flatMap((node) => [1, 2].map((n) => openV2(t, node, `member-${node.name}${n}`))),
    );
    for (const member of members) for (const room of ROOMS) await member.join(room);
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const publishers = [await openV2(t, a, 'pub-a'), await openV2(t, b, 'pub-b')];
    for (const publisher of publishers) for (const room of ROOMS) await publisher.join(room);

    // Each publisher sends to both rooms at once, in an order of its own.
    const sent = await Promise.all(
      publishers.flatMap((publisher, p) =>
        ROOMS.map((room) =>
          sendAll(publisher, room, texts(`${room}-${p}-`, EACH), { window: 3 + p * 5 }),
        ),
      ),
    );

    for (const [r, room] of ROOMS.entries()) {
      // The seq each send was acknowledged with is its place: no two alike, none missing.
      const acked = new Map<number, string>();
      for (const p of [0, 1]) {
        const seqs = sent[p * ROOMS.length + r] as number[];
        for (const [i, seq] of seqs.entries()) acked.set(seq, `${room}-${p}-${i + 1}`);
      }
      const total = 2 * EACH;
      const expected = Array.from({ length: total }, (_, i) => [i + 1, acked.get(i + 1)]);
      t.is(acked.size, total, `${room}: every send got a seq of its own`);

      for (const [m, member] of members.entries()) {
        await waitForText(member, room, acked.get(total) as string, `member ${m}`);
        t.deepEqual(numbering(seenIn(member, room)), expected, `${room}: member ${m}`);
      }
      // The publishers are members too.
      for (const publisher of publishers) {
        await waitForText(publisher, room, acked.get(total) as string, 'a publisher');
        t.deepEqual(numbering(seenIn(publisher, room)), expected, `${room}: a publisher`);
      }
    }
  },
);
