import type { JoinedRoom } from '../../src/client/index.ts';
import { waitUntil } from '../adapters/support/ws-client.ts';
import { testedClient } from '../client/support/client-setup.ts';
import { redisTestSerial } from '../support/redis-server.ts';
import { startCluster } from './support/cluster.ts';
import {
  Balancer,
  numbering,
  openV2,
  seenIn,
  sendAll,
  texts,
  waitForText,
} from './support/room-log.ts';

// Three nodes on one Redis: readers on a, a publisher on b; a is SIGKILLed in the middle of the
// stream and the readers resume on c.

const COUNT = 200;
const KILL_AFTER = 70;
const ROOM = 'doomed';

redisTestSerial(
  'a client whose node is SIGKILLed mid-stream resumes on another node with every message once, in order',
  async (t) => {
    const { nodes } = await startCluster(t, 3);
    const [a, b, c] = nodes as [(typeof nodes)[0], (typeof nodes)[0], (typeof nodes)[0]];
    const all = texts('m', COUNT);

    const reader = await openV2(t, a, 'reader');
    const first = await reader.join(ROOM);
    // The client library, behind a stand-in load balancer that takes a out when it dies.
    const balancer = new Balancer(a);
    const library = testedClient(t, a.wsUrl, 'library', { WebSocket: balancer.WebSocket });
    const libraryJoins: JoinedRoom[] = [];
    library.hubbub.on('joined', (joined) => libraryJoins.push(joined));
    await library.hubbub.join(ROOM);
    const publisher = await openV2(t, b, 'publisher');
    await publisher.join(ROOM);

    let killed: Promise<unknown> = Promise.resolve();
    const sending = sendAll(publisher, ROOM, all, {
      acked: (count) => {
        if (count !== KILL_AFTER) return;
        balancer.target = c;
        killed = a.sigkill();
      },
    });

    await waitUntil(() => reader.closed, 'the reader to lose its node');
    await killed;
    const before = seenIn(reader, ROOM);
    t.true(before.length < COUNT, `a died mid-stream (the reader had ${before.length})`);
    const last = before.at(-1);
    const since = last ?? { epoch: String(first.epoch), seq: Number(first.seq) };

    const resumed = await openV2(t, c, 'reader');
    const rejoined = await resumed.join(ROOM, { since: { epoch: since.epoch, seq: since.seq } });
    t.is(rejoined.recovered, true, 'the resume on c is recovered');

    const acked = await sending;
    const expected = all.map((text, i) => [i + 1, text]);
    t.deepEqual(
      acked.map((seq, i) => [seq, all[i]]),
      expected,
      'every send is acknowledged with its place',
    );
    await waitForText(resumed, ROOM, all.at(-1) as string, 'the resumed reader');
    t.deepEqual(numbering([...before, ...seenIn(resumed, ROOM)]), expected);

    await waitUntil(
      () => library.got.some((message) => message.text === all.at(-1)),
      () => `the library client to get the last message (has ${library.got.length})`,
    );
    t.deepEqual(numbering(library.got), expected);
    t.deepEqual(
      libraryJoins.map((joined) => joined.recovered),
      [undefined, true],
      'the library client joined, then rejoined on c recovered',
    );
  },
);
