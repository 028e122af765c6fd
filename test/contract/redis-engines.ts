import { randomUUID } from 'node:crypto';
import { RedisEngine } from '../../src/adapters/redis/redis-engine.adapter.ts';
import { RecordingLogger } from '../support/recording-logger.ts';
import type { MakeEngine } from './engine-contract.ts';

/** Where the engines' Redis is: one server, or a node of a cluster. */
export type RedisAt = Readonly<{ url: string; cluster?: boolean }>;

/**
 * Makes Redis engines for the contract, each its own store (its keys under a prefix of its own
 * in the one Redis: the hash tags, and so the slots, are the rooms'), and closes them all.
 */
export const redisEngines = (redisAt: () => RedisAt | undefined) => {
  const engines: RedisEngine[] = [];
  const make: MakeEngine = async (limits, clock) => {
    const at = redisAt();
    if (at === undefined) throw new Error('redis-server did not start');
    const engine = new RedisEngine(
      { ...limits, ...at, presenceTtlMs: 15_000, keyPrefix: `t${randomUUID().slice(0, 8)}:` },
      clock,
      new RecordingLogger(),
    );
    engines.push(engine);
    await engine.open();
    return engine;
  };
  const closeAll = () => Promise.allSettled(engines.map((engine) => engine.close()));
  return { make, closeAll };
};
