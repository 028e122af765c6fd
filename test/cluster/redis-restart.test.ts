import { waitUntil } from '../adapters/support/ws-client.ts';
import { redisTestSerial } from '../support/redis-server.ts';
import { type ClusterNode, startCluster, waitForReady } from './support/cluster.ts';
import { membersBecome } from './support/members.ts';
import { ackOf, openV2, seenIn, waitForText } from './support/room-log.ts';

// Two nodes on one Redis, which is restarted empty (it keeps nothing on disk) under them.

const ROOM = 'amnesia';

/** Waits until both of the node's Redis connections logged their return. */
const reconnected = (node: ClusterNode) =>
  waitUntil(
    () => {
      const back = node.process.logLines.filter((line) => line.msg === 'redis reachable again');
      const roles = new Set(back.map((line) => line.connection));
      return roles.has('commands') && roles.has('subscriber');
    },
    () => `node ${node.name} to reconnect to Redis (stderr: ${node.process.stderr.slice(-2000)})`,
    15_000,
  );

redisTestSerial(
  'Redis restarted without persistence: resumes are not recovered (a new epoch), and chat goes on without restarting a node',
  async (t) => {
    const { redis, nodes } = await startCluster(t, 2);
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const throughout = await openV2(t, a, 'throughout');
    await throughout.join(ROOM);
    const sender = await openV2(t, b, 'sender');
    await sender.join(ROOM);
    for (const text of ['before 1', 'before 2']) {
      sender.command({ type: 'send', room: ROOM, text, id: text });
      await ackOf(sender, text);
    }
    await waitForText(throughout, ROOM, 'before 2', 'the member on a');
    const old = seenIn(throughout, ROOM).at(-1);
    t.like(old, { seq: 2, text: 'before 2' });

    await redis.restart();
    await Promise.all(nodes.map(reconnected));
    await Promise.all(nodes.map((node) => waitForReady(node)));

    const resumer = await openV2(t, a, 'resumer');
    const resumed = await resumer.join(ROOM, { since: { epoch: old?.epoch, seq: old?.seq } });
    t.is(resumed.recovered, false, 'the room Redis lost is not recovered');
    t.not(resumed.epoch, old?.epoch, 'it has a new epoch');
    t.is(resumed.seq, 0);
    t.deepEqual(resumed.messages, []);
    const newcomer = await openV2(t, b, 'newcomer');
    await newcomer.join(ROOM);
    // Presence is written again by every node: each lists the members of both.
    const four = ['newcomer', 'resumer', 'sender', 'throughout'].map((name) => ({
      name,
      connections: 1,
    }));
    await membersBecome(throughout, ROOM, four, 'a');
    await membersBecome(sender, ROOM, four, 'b');

    // Members connected across the restart (on both nodes) and those who joined after it send
    // and get the new epoch's messages.
    sender.command({ type: 'send', room: ROOM, text: 'after', id: 'after' });
    t.is(await ackOf(sender, 'after'), 1, 'the first message of the new epoch');
    throughout.command({ type: 'send', room: ROOM, text: 'from a', id: 'from a' });
    t.is(await ackOf(throughout, 'from a'), 2);

    const members = { throughout, sender, resumer, newcomer };
    await waitUntil(
      () =>
        Object.values(members).every((member) => seenIn(member, ROOM).at(-1)?.text === 'from a'),
      'every member to get the last message',
    ).catch(() => {}); // the assertions below say who got what
    const beforeRestart = seenIn(throughout, ROOM).slice(0, 2);
    const afterRestart = [
      { epoch: resumed.epoch, seq: 1, text: 'after' },
      { epoch: resumed.epoch, seq: 2, text: 'from a' },
    ];
    const seen = Object.fromEntries(
      Object.entries(members).map(([who, member]) => [who, seenIn(member, ROOM)]),
    );
    t.deepEqual(seen, {
      throughout: [...beforeRestart, ...afterRestart],
      sender: [...beforeRestart, ...afterRestart],
      resumer: afterRestart,
      newcomer: afterRestart,
    });
  },
);
