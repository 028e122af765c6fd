import { RedisEngine } from '../../../src/adapters/redis/redis-engine.adapter.ts';
import { SystemClock } from '../../../src/adapters/system/system-clock.adapter.ts';
import { RecordingLogger } from '../../support/recording-logger.ts';
import { redisTest, startRedis } from '../../support/redis-server.ts';
import { within } from '../support/ws-client.ts';

redisTest(
  'closing the engine while Redis is away, with a subscription queued, does not hang',
  async (t) => {
    const redis = await startRedis();
    const engine = new RedisEngine(
      {
        url: redis.url,
        presenceTtlMs: 15_000,
        historySize: 10,
        historyTtlMs: 60_000,
        dedupeWindowMs: 1_000,
      },
      new SystemClock(),
      new RecordingLogger(),
    );
    await engine.open();
    await redis.kill();
    const stop = engine.subscribe('r', () => {});
    engine.announce('r', 'ann', 1);
    await within(engine.close(), 'the engine to close while Redis is away', 5_000);
    stop();
    t.false(engine.available);
  },
);
