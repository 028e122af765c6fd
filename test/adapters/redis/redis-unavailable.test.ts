import { startRedisCluster } from '../../support/redis-cluster.ts';
import { redisTestSerial, startRedis } from '../../support/redis-server.ts';
import { type ServerOverrides, startServer } from '../../support/start-server.ts';
import { V2TestClient } from '../support/v2-client.ts';
import { waitUntil } from '../support/ws-client.ts';

const readiness = async (httpUrl: string) => {
  const answer = await fetch(`${httpUrl}/readyz`);
  return `${answer.status} ${await answer.text()}`;
};

/** A Redis that room `r` lives in, which the test takes away (empty when it comes back). */
type Outage = Readonly<{
  settings: ServerOverrides;
  lose: () => Promise<void>;
  bringBack: () => Promise<void>;
  stop: () => Promise<void>;
}>;

const unreachable = (title: string, start: () => Promise<Outage>) =>
  redisTestSerial(title, async (t) => {
    const redis = await start();
    const server = await startServer(redis.settings);
    t.teardown(async () => {
      await server.stop();
      await redis.stop();
    });
    const ann = await V2TestClient.open(server.wsUrl, '?name=ann');
    await ann.join('r');
    ann.command({ type: 'send', room: 'r', text: 'one', id: 'c1' });
    await ann.next('ack', 'r');
    t.is(await readiness(server.httpUrl), '200 ready');

    await redis.lose();
    await waitUntil(() => !server.hub.storeAvailable, 'the node to notice Redis is gone');
    t.is(await readiness(server.httpUrl), '503 store unavailable');
    ann.command({ type: 'send', room: 'r', text: 'two', id: 'c2' });
    const refusal = await ann.next('error');
    t.like(refusal, { reason: 'unavailable', id: 'c2' });
    const post = await fetch(`${server.httpUrl}/send?room=r&name=bob&id=p1`, {
      method: 'POST',
      body: 'from bob',
    });
    t.is(post.status, 503);
    t.is(ann.of('ack').length, 1, 'nothing more acknowledged');

    await redis.bringBack();
    await waitUntil(() => server.hub.storeAvailable, 'the node to reach Redis again');
    t.is(await readiness(server.httpUrl), '200 ready');
    ann.command({ type: 'send', room: 'r', text: 'three', id: 'c3' });
    await ann.next('ack', 'r', 2);
    const bob = await V2TestClient.open(server.wsUrl, '?name=bob');
    const joined = await bob.join('r', { history: 10 });
    t.deepEqual(
      (joined.messages as { text: string }[]).map((m) => m.text),
      ['three'],
      'the restarted Redis holds only what was stored after it came back',
    );
    await ann.close();
    await bob.close();
  });

unreachable(
  'Redis unreachable: nothing is acknowledged, senders are refused (v2 unavailable, 503), /readyz is not ready, and all comes back by itself',
  async () => {
    const redis = await startRedis();
    const settings = { redisUrl: redis.url };
    return { settings, lose: redis.kill, bringBack: redis.restart, stop: redis.stop };
  },
);

unreachable('on a Redis Cluster, the master of the room unreachable: the same', async () => {
  const cluster = await startRedisCluster();
  const master = await cluster.masterOf('hubbub:{r}:meta');
  return {
    settings: { redisUrl: cluster.url, redisCluster: true },
    lose: () => cluster.kill(master),
    bringBack: () => cluster.restart(master),
    stop: cluster.stop,
  };
});
