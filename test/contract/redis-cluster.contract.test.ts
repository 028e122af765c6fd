import test from 'ava';
import { type PrivateCluster, startRedisCluster } from '../support/redis-cluster.ts';
import { redisMissing, redisTest } from '../support/redis-server.ts';
import { engineContract } from './engine-contract.ts';
import { redisEngines } from './redis-engines.ts';

/** Every room the contract uses: their hash tags put them on each of the three masters. */
const CONTRACT_ROOMS = ['a', 'b', 'r', 's', 'new-room', 'other', 'nowhere'];

let cluster: PrivateCluster | undefined;
const engines = redisEngines(() => cluster && { url: cluster.url, cluster: true });

test.before(async () => {
  if (!redisMissing) cluster = await startRedisCluster();
});

test.after.always(async () => {
  await engines.closeAll();
  await cluster?.stop();
});

redisTest("the contract's rooms are served by every master of the cluster", async (t) => {
  if (cluster === undefined) throw new Error('the Redis Cluster did not start');
  const { masterOf, masters } = cluster;
  const owners = await Promise.all(CONTRACT_ROOMS.map((room) => masterOf(`t:{${room}}:meta`)));
  const byPort = (x: number, y: number) => x - y;
  t.deepEqual([...new Set(owners)].sort(byPort), (await masters()).sort(byPort));
});

engineContract('redis engine on a Redis Cluster', engines.make, redisTest);
