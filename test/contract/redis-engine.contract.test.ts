import { randomUUID } from 'node:crypto';
import test from 'ava';
import { RedisEngine } from '../../src/adapters/redis/redis-engine.adapter.ts';
import { RecordingLogger } from '../support/recording-logger.ts';
import { type PrivateRedis, redisMissing, redisTest, startRedis } from '../support/redis-server.ts';
import { engineContract } from './engine-contract.ts';

let redis: PrivateRedis | undefined;
const engines: RedisEngine[] = [];

test.before(async () => {
  if (!redisMissing) redis = await startRedis();
});

test.after.always(async () => {
  await Promise.allSettled(engines.map((engine) => engine.close()));
  await redis?.stop();
});

engineContract(
  'redis engine',
  async (limits, clock) => {
    if (redis === undefined) throw new Error('redis-server did not start');
    // Each engine its own store: keys under a prefix of its own in one private redis-server.
    const engine = new RedisEngine(
      {
        ...limits,
        url: redis.url,
        presenceTtlMs: 15_000,
        keyPrefix: `t${randomUUID().slice(0, 8)}:`,
      },
      clock,
      new RecordingLogger(),
    );
    engines.push(engine);
    await engine.open();
    return engine;
  },
  redisTest,
);
