import { ConfigError, integer, optional, type ValuesOf } from '../../app/config.ts';

/** A `redis://` or `rediss://` URL, as node-redis takes it. */
const redisUrl = (raw: string, name: string): string => {
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a redis:// or rediss:// URL, got "${raw}"`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(`${name} must be a redis:// or rediss:// URL, got "${raw}"`);
  }
  return value;
};

export const redisSettings = {
  redisUrl: {
    flag: 'redis-url',
    env: ['HUBBUB_REDIS_URL'],
    fallback: '',
    help: 'the Redis that rooms live in, shared by every process and machine (redis://host:port); empty keeps rooms in this process (the memory engine)',
    parse: optional(redisUrl),
  },
  presenceTtlMs: {
    flag: 'presence-ttl-ms',
    env: ['HUBBUB_PRESENCE_TTL_MS'],
    fallback: '15000',
    help: "with --redis-url: how long a process's members stay listed without it refreshing them (it does every third of this): the members of a process that died go within it",
    parse: integer(1_000, 3_600_000),
  },
} as const;

export type RedisSettings = ValuesOf<typeof redisSettings>;
