import { availableParallelism } from 'node:os';
import { ConfigError, integer, type SettingGroup, type ValuesOf } from '../app/config.ts';

export const MAX_WORKERS = 1_024;

/** A number of worker processes, or `auto` (any case): one per core this process may use. */
export const workerCount = (raw: string, name: string): number => {
  if (raw.trim().toLowerCase() === 'auto') return availableParallelism();
  try {
    return integer(1, MAX_WORKERS)(raw, name);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(
      `${name} must be auto or a whole number from 1 to ${MAX_WORKERS}, got "${raw}"`,
    );
  }
};

/** How many processes serve: the entry point's own setting, read beside the others. */
export const workerSettings = {
  workers: {
    flag: 'workers',
    env: ['HUBBUB_WORKERS'],
    fallback: '1',
    help: 'processes serving the same ports together (auto: one per core); more than 1 needs --redis-url, the engine they share',
    parse: workerCount,
  },
} as const satisfies SettingGroup;

export type WorkerSettings = ValuesOf<typeof workerSettings>;

/**
 * Workers share rooms only through a shared engine: with the memory engine each would hold
 * rooms of its own, and clients on different workers would never hear each other.
 */
export const checkSharedEngine = (workers: number, redisUrl: string | undefined): void => {
  if (workers > 1 && redisUrl === undefined) {
    throw new ConfigError(
      `--workers ${workers} needs a shared engine: the memory engine keeps rooms in one process; give --redis-url (HUBBUB_REDIS_URL) or use --workers 1`,
    );
  }
};
