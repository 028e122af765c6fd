import { randomUUID } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import { RedisEngine } from '../../../src/adapters/redis/redis-engine.adapter.ts';
import { listen, ManualClock } from '../../contract/engine-contract.ts';
import { RecordingLogger } from '../../support/recording-logger.ts';
import {
  askAnyNode,
  type ClusterShape,
  type PrivateCluster,
  startRedisCluster,
} from '../../support/redis-cluster.ts';
import { redisTestSerial } from '../../support/redis-server.ts';
import { waitUntil } from '../support/ws-client.ts';

const MESSAGES_PER_ROOM = 30;
/** A lost master is noticed at once, but comes back only after the cluster agrees again. */
const OUTAGE_WAIT_MS = 20_000;
/** Room names tried, at most, to find one on each master. */
const CANDIDATES = 100;

/** One room served by each master of the cluster, in the order of `masters`. */
const roomOnEachMaster = async (
  cluster: PrivateCluster,
  masters: readonly number[],
): Promise<string[]> => {
  const found = new Map<number, string>();
  for (let i = 0; i < CANDIDATES && found.size < masters.length; i++) {
    const room = `room-${i}`;
    const master = await cluster.masterOf(`any:{${room}}:meta`);
    if (!found.has(master)) found.set(master, room);
  }
  return masters.map((port) => {
    const room = found.get(port);
    if (room === undefined) throw new Error(`no room of ${CANDIDATES} tried is on ${port}`);
    return room;
  });
};

/** A private cluster with `nodes` Hubbub engines (as many processes would be) sharing it. */
const setUp = async (t: ExecutionContext, nodes: number, shape: ClusterShape = {}) => {
  const cluster = await startRedisCluster(shape);
  t.teardown(() => cluster.stop());
  const keyPrefix = `t${randomUUID().slice(0, 8)}:`;
  const clock = new ManualClock();
  /** Another engine on the cluster, not opened yet; closed before the cluster stops. */
  const node = () => {
    const engine = new RedisEngine(
      {
        url: cluster.url,
        cluster: true,
        keyPrefix,
        presenceTtlMs: 15_000,
        historySize: 100,
        historyTtlMs: 86_400_000,
        dedupeWindowMs: 300_000,
      },
      clock,
      new RecordingLogger(),
    );
    // Teardowns run last first: this one before the cluster's.
    t.teardown(() => engine.close());
    return engine;
  };
  const engines = Array.from({ length: nodes }, node);
  await Promise.all(engines.map((engine) => engine.open()));
  const send = (engine: RedisEngine, room: string, text: string) =>
    engine.publish({ room, text, from: 'ann', at: clock.now() });
  const masters = await cluster.masters();
  const rooms = await roomOnEachMaster(cluster, masters);
  return { cluster, engines, keyPrefix, node, masters, rooms, send };
};

redisTestSerial(
  'two nodes over a Redis Cluster: for rooms on every master, what one node publishes reaches the other node’s subscribers once each, in order',
  async (t) => {
    const { engines, rooms, send } = await setUp(t, 2);
    const [publisher, subscriber] = engines as [RedisEngine, RedisEngine];
    const heard = rooms.map((room) => listen(subscriber, room, (m) => `${m.seq} ${m.text}`));
    for (let i = 1; i <= MESSAGES_PER_ROOM; i++) {
      await Promise.all(rooms.map((room) => send(publisher, room, `${room} says ${i}`)));
    }
    for (const [index, room] of rooms.entries()) {
      const expected = Array.from(
        { length: MESSAGES_PER_ROOM },
        (_, i) => `${i + 1} ${room} says ${i + 1}`,
      );
      t.deepEqual(await heard[index]?.first(MESSAGES_PER_ROOM), expected, room);
    }
    t.true(publisher.available && subscriber.available);
  },
);

redisTestSerial(
  'each master of the cluster lost in turn: its rooms are refused and the node is unavailable; when it is back all comes back by itself, its rooms with a new epoch from seq 1',
  async (t) => {
    const { cluster, engines, masters, rooms, send } = await setUp(t, 2);
    const [publisher, subscriber] = engines as [RedisEngine, RedisEngine];
    const heard = rooms.map((room) => listen(subscriber, room, (m) => `${m.epoch} ${m.seq}`));
    const latest = (await Promise.all(rooms.map((room) => send(publisher, room, 'first')))).map(
      (stored) => stored.message,
    );
    const expected = latest.map((message) => [`${message.epoch} 1`]);
    /** Every room's subscriber has heard all that was stored so far, and nothing else. */
    const allHeard = async () => {
      for (const [each, room] of rooms.entries()) {
        const wanted = expected[each] ?? [];
        t.deepEqual(await heard[each]?.first(wanted.length), wanted, room);
        t.is(heard[each]?.values.length, wanted.length, `${room}: nothing more`);
      }
    };
    await allHeard();
    // One of the masters is the subscriber's PUB/SUB node: its loss is covered too.
    for (const [index, lostRoom] of rooms.entries()) {
      const lost = masters[index] ?? 0;
      await cluster.kill(lost);
      await waitUntil(() => !publisher.available, `the node to notice ${lost} is gone`);
      await t.throwsAsync(send(publisher, lostRoom, 'while its master is away'));

      await cluster.restart(lost);
      const back = () => publisher.available && subscriber.available;
      await waitUntil(back, `the nodes to reach ${lost} again`, OUTAGE_WAIT_MS);
      for (const [each, room] of rooms.entries()) {
        const before = latest[each];
        const { message } = await send(publisher, room, 'after');
        if (each === index) {
          t.is(message.seq, 1, `${room}: its master kept nothing, the room starts again`);
          t.not(message.epoch, before?.epoch);
        } else {
          t.like(message, { epoch: before?.epoch, seq: (before?.seq ?? 0) + 1 }, room);
        }
        latest[each] = message;
        expected[each]?.push(`${message.epoch} ${message.seq}`);
      }
      await allHeard();
    }
  },
);

redisTestSerial(
  'a node started while the seed node is down serves, refusing sends, and joins the cluster by itself once the seed answers',
  async (t) => {
    const { cluster, node, rooms, send } = await setUp(t, 0);
    const seed = cluster.ports[0] ?? 0;
    await cluster.kill(seed);
    const late = node();
    await late.open();
    t.false(late.available);
    await t.throwsAsync(send(late, rooms[1] ?? '', 'too early'), { message: /not reachable/ });

    await cluster.restart(seed);
    await waitUntil(() => late.available, 'the node to find the cluster', OUTAGE_WAIT_MS);
    for (const room of rooms) t.is((await send(late, room, 'hello')).message.seq, 1, room);
  },
);

/** The node of `masters` that `channel`'s subscriber (there is one) is connected to. */
const subscribedOn = async (masters: readonly number[], channel: string): Promise<number> => {
  for (const port of masters) {
    const counts = await askAnyNode([port], (node) => node.pubSubNumSub(channel));
    if (Number(counts[channel]) > 0) return port;
  }
  throw new Error(`no master has a subscriber of ${channel}`);
};

redisTestSerial(
  'a master fails over to its replica: the nodes find the promoted replica by themselves, its rooms go on in their epoch, and the subscriber whose PUB/SUB node it was misses nothing',
  async (t) => {
    const { cluster, engines, keyPrefix, masters, rooms, send } = await setUp(t, 2, {
      replicasPerMaster: 1,
    });
    const [publisher, subscriber] = engines as [RedisEngine, RedisEngine];
    const heard = rooms.map((room) => listen(subscriber, room, (m) => `${m.epoch} ${m.seq}`));
    const stored = await Promise.all(rooms.map((room) => send(publisher, room, 'before')));
    const expected = stored.map(({ message }) => [`${message.epoch} ${message.seq}`]);
    for (const [each, wanted] of expected.entries()) {
      t.deepEqual(await heard[each]?.first(1), wanted);
    }
    // The master the subscriber's PUB/SUB connection is on: its subscriptions must move too.
    const lost = await subscribedOn(masters, `${keyPrefix}{${rooms[0]}}`);
    const lostRoom = rooms[masters.indexOf(lost)] ?? '';
    // Replication is asynchronous: the failover keeps what the replica had. WAIT counts the
    // replicas that have this connection's writes, and so everything before them, here all.
    const replicas = await askAnyNode([lost], async (node) => {
      await node.set(`replicated:{${lostRoom}}`, '1');
      return node.wait(1, OUTAGE_WAIT_MS);
    });
    t.is(replicas, 1);

    await cluster.kill(lost);
    const sendTo = async (each: number, room: string, text: string) => {
      const { message } = await send(publisher, room, text);
      t.like(message, {
        epoch: stored[each]?.message.epoch,
        seq: (expected[each]?.length ?? 0) + 1,
      });
      expected[each]?.push(`${message.epoch} ${message.seq}`);
    };
    // Stored on the other masters while the subscriber's PUB/SUB node is gone (until the
    // cluster holds it failed and refuses every command): read from the stream when it is back.
    await Promise.allSettled(
      rooms.map((room, each) => (room === lostRoom ? undefined : sendTo(each, room, 'during'))),
    );
    await cluster.settled();
    t.not(await cluster.masterOf(`any:{${lostRoom}}:meta`), lost, 'its replica serves the room');
    const back = () => publisher.available && subscriber.available;
    await waitUntil(back, 'the nodes to find the promoted replica', OUTAGE_WAIT_MS);
    for (const [each, room] of rooms.entries()) await sendTo(each, room, 'after');
    for (const [each, room] of rooms.entries()) {
      const wanted = expected[each] ?? [];
      t.deepEqual(await heard[each]?.first(wanted.length), wanted, room);
    }
  },
);

redisTestSerial(
  'a node started while a master is dead, before its replica takes over, joins the cluster once it has',
  async (t) => {
    const { cluster, masters, node, rooms, send } = await setUp(t, 0, { replicasPerMaster: 1 });
    // Not the seed: the seed still names the dead master as the one serving its slots.
    const lost = masters.find((port) => port !== cluster.ports[0]) ?? 0;
    await cluster.kill(lost);
    const late = node();
    await late.open();
    await cluster.settled();
    await waitUntil(() => late.available, 'the node to find the promoted replica', OUTAGE_WAIT_MS);
    for (const room of rooms) t.is((await send(late, room, 'hello')).message.seq, 1, room);
  },
);
