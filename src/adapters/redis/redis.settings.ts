import { boolean, ConfigError, integer, optional, type ValuesOf } from '../../app/config.ts';

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
  redisCluster: {
    flag: 'redis-cluster',
    env: ['HUBBUB_REDIS_CLUSTER'],
    fallback: 'false',
    help: "--redis-url is one node of a Redis Cluster (a switch; env: true/false): the others are found through it, each room's keys live on its slot's master",
    isSwitch: true,
    parse: boolean,
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

/** `--redis-cluster` needs the seed node's URL, and a cluster has only database 0. */
export const checkRedisCluster = ({ redisUrl, redisCluster }: RedisSettings): void => {
  if (!redisCluster) return;
  if (redisUrl === undefined) {
    throw new ConfigError(
      '--redis-cluster (HUBBUB_REDIS_CLUSTER) needs --redis-url (HUBBUB_REDIS_URL): the URL of one node of the cluster, such as redis://10.0.0.21:6379',
    );
  }
  const database = new URL(redisUrl).pathname.replace(/^\//, '');
  if (database !== '' && database !== '0') {
    throw new ConfigError(
      `--redis-cluster: a Redis Cluster has only database 0, but --redis-url names database ${database}`,
    );
  }
};
