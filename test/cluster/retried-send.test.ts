import { askHttp } from '../adapters/support/http-ask.ts';
import { TEXT_PLAIN } from '../adapters/support/post-send.ts';
import type { V2TestClient } from '../adapters/support/v2-client.ts';
import { waitUntil } from '../adapters/support/ws-client.ts';
import { redisTestSerial } from '../support/redis-server.ts';
import { type ClusterNode, startCluster } from './support/cluster.ts';
import { ackOf, numbering, openV2, seenIn, waitForText } from './support/room-log.ts';

// A send retried under the same client id (and user name) on another node is one message.

const ROOM = 'retries';

const watchers = async (t: Parameters<typeof openV2>[0], nodes: readonly ClusterNode[]) => {
  const all = await Promise.all(nodes.map((node) => openV2(t, node, `watch-${node.name}`)));
  for (const watcher of all) await watcher.join(ROOM);
  return all;
};

/** Sends `text` with client id `id`, then a fence after it, and waits for the fence everywhere. */
const fenceAfter = async (sender: V2TestClient, all: readonly V2TestClient[], id: string) => {
  sender.command({ type: 'send', room: ROOM, text: `fence ${id}`, id: `fence-${id}` });
  await ackOf(sender, `fence-${id}`);
  for (const [w, watcher] of all.entries()) {
    await waitForText(watcher, ROOM, `fence ${id}`, `watcher ${w}`);
  }
};

redisTestSerial(
  'a send retried with the same id on other nodes, over v2 and POST /send, is acknowledged with the first seq and seen once',
  async (t) => {
    const { nodes } = await startCluster(t, 3);
    const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const all = await watchers(t, nodes);

    const first = await openV2(t, a, 'ann');
    await first.join(ROOM);
    first.command({ type: 'send', room: ROOM, text: 'only once', id: 'x1' });
    const seq = await ackOf(first, 'x1');

    const retry = await openV2(t, b, 'ann');
    await retry.join(ROOM);
    retry.command({ type: 'send', room: ROOM, text: 'only once', id: 'x1' });
    t.is(await ackOf(retry, 'x1'), seq, 'the retry on b is acknowledged with the first seq');

    const posted = await askHttp(`http://127.0.0.1:${c.port}/send?room=${ROOM}&name=ann&id=x1`, {
      method: 'POST',
      headers: TEXT_PLAIN,
      body: 'only once',
    });
    t.is(posted.status, 200, posted.body);
    t.deepEqual(JSON.parse(posted.body), { type: 'ack', id: 'x1', room: ROOM, seq });

    await fenceAfter(retry, all, 'x1');
    for (const [w, watcher] of all.entries()) {
      t.deepEqual(
        numbering(seenIn(watcher, ROOM)),
        [
          [seq, 'only once'],
          [seq + 1, 'fence x1'],
        ],
        `watcher ${w}`,
      );
    }
    t.deepEqual(retry.texts(ROOM), ['fence x1'], 'the retry is not broadcast');
  },
);

redisTestSerial(
  'a send whose node is SIGKILLed before it answers, retried on another node, is one message',
  async (t) => {
    const { nodes } = await startCluster(t, 3);
    const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const all = await watchers(t, [b, c]);

    const doomed = await openV2(t, a, 'bob');
    await doomed.join(ROOM);
    doomed.command({ type: 'send', room: ROOM, text: 'lost or not', id: 'y1' });
    await a.sigkill();

    const retry = await openV2(t, b, 'bob');
    await retry.join(ROOM);
    retry.command({ type: 'send', room: ROOM, text: 'lost or not', id: 'y1' });
    const seq = await ackOf(retry, 'y1');
    t.is(seq, 1, 'stored once, first in the room, whether a stored it or not');

    await fenceAfter(retry, all, 'y1');
    for (const [w, watcher] of all.entries()) {
      t.deepEqual(
        numbering(seenIn(watcher, ROOM)),
        [
          [1, 'lost or not'],
          [2, 'fence y1'],
        ],
        `watcher ${w}`,
      );
    }
    await waitUntil(() => doomed.closed, 'the client on a to see its node go');
  },
);
