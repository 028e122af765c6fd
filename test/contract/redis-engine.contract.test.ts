import test from 'ava';
import { type PrivateRedis, redisMissing, redisTest, startRedis } from '../support/redis-server.ts';
import { engineContract } from './engine-contract.ts';
import { redisEngines } from './redis-engines.ts';

let redis: PrivateRedis | undefined;
const engines = redisEngines(() => redis && { url: redis.url });

test.before(async () => {
  if (!redisMissing) redis = await startRedis();
});

test.after.always(async () => {
  await engines.closeAll();
  await redis?.stop();
});

engineContract('redis engine', engines.make, redisTest);
