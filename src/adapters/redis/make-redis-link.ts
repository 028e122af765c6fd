import type { Logger } from '../../app/ports/logger.port.ts';
import { ClusterRedisLink } from './redis-cluster-link.ts';
import { SingleRedisLink } from './redis-connection.ts';
import type { LinkReturns, RedisLink } from './redis-link.ts';

export type LinkOptions = Readonly<{
  url: string;
  /** `url` is one node of a Redis Cluster (`--redis-cluster`). */
  cluster?: boolean;
}>;

/** The engine's link to Redis: one server, or the cluster that `url` is a node of. */
export const makeRedisLink = (
  options: LinkOptions,
  logger: Logger,
  returns: LinkReturns,
): RedisLink =>
  options.cluster === true
    ? new ClusterRedisLink(options.url, logger, returns)
    : new SingleRedisLink(options.url, logger, returns);
