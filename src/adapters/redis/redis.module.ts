import { defineAdapter } from '../../app/adapter.ts';
import { redisSettings } from './redis.settings.ts';
import {
  REDIS_ENGINE_OPTIONS,
  RedisEngine,
  type RedisEngineOptions,
} from './redis-engine.adapter.ts';

export const REDIS_TOKENS = {
  RedisEngine: Symbol.for('hubbub.redis.RedisEngine'),
} as const;

/**
 * Rooms in Redis (`--redis-url`), shared by every process and machine pointed at it. Bound
 * only when a URL is given; the composition root then makes it the engine.
 */
export const redisAdapter = defineAdapter({
  name: 'redis',
  settings: redisSettings,
  bind: ({ bind }, settings) => {
    const { redisUrl, redisCluster, presenceTtlMs, historySize, historyTtlMs, dedupeWindowMs } =
      settings;
    if (redisUrl === undefined) return;
    const options: RedisEngineOptions = {
      url: redisUrl,
      cluster: redisCluster,
      presenceTtlMs,
      historySize,
      historyTtlMs,
      dedupeWindowMs,
    };
    bind(REDIS_ENGINE_OPTIONS).toConstantValue(options);
    bind(REDIS_TOKENS.RedisEngine).to(RedisEngine).inSingletonScope();
  },
});
