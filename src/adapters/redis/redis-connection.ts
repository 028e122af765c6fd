import { createClient } from 'redis';
import type { Logger } from '../../app/ports/logger.port.ts';
import { SCRIPTS } from './redis-scripts.ts';

/** Waits between attempts to reach Redis again: growing to 2 s, with jitter. */
const reconnectDelay = (retries: number): number =>
  Math.min(50 * 2 ** Math.min(retries, 6), 2_000) + Math.floor(Math.random() * 100);

const CONNECT_TIMEOUT_MS = 5_000;

export const commandClient = (url: string) =>
  createClient({
    url,
    scripts: SCRIPTS,
    // A command while Redis is away fails at once (the sender is told `unavailable`) instead
    // of waiting in a queue for a Redis that may not come back.
    disableOfflineQueue: true,
    socket: { reconnectStrategy: reconnectDelay, connectTimeout: CONNECT_TIMEOUT_MS },
  });

export type CommandClient = ReturnType<typeof commandClient>;

/** A connection of its own for PUB/SUB (a subscribed connection takes no other command). */
export const subscriberClient = (commands: CommandClient) =>
  commands.duplicate({ disableOfflineQueue: false });

export type SubscriberClient = ReturnType<typeof subscriberClient>;

/**
 * Logs a connection's troubles once per outage (a Redis that is away would otherwise fill the
 * log with an error per attempt), and its return; `returned` runs on every ready after the first.
 */
export const watchConnection = (
  client: CommandClient | SubscriberClient,
  role: string,
  logger: Logger,
  returned: () => void,
): void => {
  let down = false;
  let readyBefore = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn('redis unreachable', { connection: role, error: error.message });
  });
  client.on('ready', () => {
    if (down) logger.info('redis reachable again', { connection: role });
    down = false;
    if (readyBefore) returned();
    readyBefore = true;
  });
};
