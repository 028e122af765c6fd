import type { ExecutionContext } from 'ava';
import { waitUntil } from '../adapters/support/ws-client.ts';
import { redisTestSerial } from '../support/redis-server.ts';
import { type ClusterNode, startCluster } from './support/cluster.ts';
import { numbering, openV2, type Seen, seenIn, sendAll, texts } from './support/room-log.ts';

// Three nodes on one Redis; a publisher on a streams while readers hop from node to node,
// resuming each time from the last message they have.

const COUNT = 300;
const ROOM = 'roam';

/** Hops over `nodes` until it has `count` messages: every `every` messages, on to the next node. */
const roam = async (
  t: ExecutionContext,
  nodes: readonly ClusterNode[],
  name: string,
  start: number,
  every: number,
  from: Pick<Seen, 'epoch' | 'seq'>,
): Promise<{ got: Seen[]; hops: number }> => {
  const got: Seen[] = [];
  let hops = 0;
  while (got.length < COUNT && hops < 100) {
    const node = nodes[(start + hops) % nodes.length] as ClusterNode;
    const client = await openV2(t, node, name);
    const { epoch, seq } = got.at(-1) ?? from;
    const joined = await client.join(ROOM, { since: { epoch, seq } });
    if (joined.recovered !== true) throw new Error(`${name} not recovered on ${node.name}`);
    const enough = Math.min(COUNT, got.length + every);
    await waitUntil(
      () => got.length + seenIn(client, ROOM).length >= enough,
      () => `${name} to have ${enough} messages on ${node.name}`,
    );
    await client.close();
    got.push(...seenIn(client, ROOM));
    hops++;
  }
  return { got, hops };
};

redisTestSerial(
  'readers hopping between nodes during a stream, resuming each time, get every message once, in order',
  async (t) => {
    const { nodes } = await startCluster(t, 3);
    const publisher = await openV2(t, nodes[0] as ClusterNode, 'publisher');
    const { epoch } = await publisher.join(ROOM);
    const from = { epoch: String(epoch), seq: 0 };
    const all = texts('r', COUNT);
    // Each reader starts from before the first message, so each has the whole stream to get.
    const readers = ['1', '2', '3', '4'].map((n, i) =>
      roam(t, nodes, `reader-${n}`, i, 17 + 10 * i, from),
    );
    const sent = sendAll(publisher, ROOM, all, { window: 2 });
    const results = await Promise.all(readers);
    await sent;
    const expected = all.map((text, i) => [i + 1, text]);
    for (const [r, { got, hops }] of results.entries()) {
      t.true(hops > 3, `reader ${r} hopped ${hops} times`);
      t.deepEqual(numbering(got), expected, `reader ${r}`);
    }
  },
);
