import { createClient } from 'redis';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { ChannelListener, LinkReturns, RedisLink } from './redis-link.ts';
import { OutageLog } from './redis-outages.ts';
import { loadScripts, SCRIPTS } from './redis-scripts.ts';
import { closeOrCut } from './redis-unavailable.ts';

/** Waits between attempts to reach Redis again: growing to 2 s, with jitter. */
export const reconnectDelay = (retries: number): number =>
  Math.min(50 * 2 ** Math.min(retries, 6), 2_000) + Math.floor(Math.random() * 100);

export const CONNECT_TIMEOUT_MS = 5_000;

const commandClient = (url: string) =>
  createClient({
    url,
    scripts: SCRIPTS,
    // A command while Redis is away fails at once (the sender is told `unavailable`) instead
    // of waiting in a queue for a Redis that may not come back.
    disableOfflineQueue: true,
    socket: { reconnectStrategy: reconnectDelay, connectTimeout: CONNECT_TIMEOUT_MS },
  });

type CommandClient = ReturnType<typeof commandClient>;

/** Logs a connection's outages; `returned` runs on every ready after the first. */
const watchConnection = (
  client: CommandClient,
  role: string,
  outages: OutageLog,
  returned: () => void,
): void => {
  let readyBefore = false;
  client.on('error', (error: Error) => outages.failed(role, error));
  client.on('ready', () => {
    outages.back(role);
    if (readyBefore) returned();
    readyBefore = true;
  });
};

/**
 * One Redis server: a connection for commands, and one of its own for PUB/SUB (a subscribed
 * connection takes no other command). node-redis reconnects both, and resubscribes.
 */
export class SingleRedisLink implements RedisLink {
  readonly commands: CommandClient;
  private readonly subscriber: CommandClient;

  constructor(url: string, logger: Logger, returns: LinkReturns) {
    this.commands = commandClient(url);
    this.commands.on('ready', () => loadScripts(this.commands));
    // Subscriptions made while Redis is away wait in the queue, and are sent once it is back.
    this.subscriber = this.commands.duplicate({ disableOfflineQueue: false });
    const outages = new OutageLog(logger);
    watchConnection(this.commands, 'commands', outages, returns.commands);
    watchConnection(this.subscriber, 'subscriber', outages, returns.subscriber);
  }

  get commandsReady(): boolean {
    return this.commands.isReady;
  }

  get available(): boolean {
    return this.commands.isReady && this.subscriber.isReady;
  }

  async connect(): Promise<void> {
    await Promise.all([this.commands.connect(), this.subscriber.connect()]);
  }

  async close(): Promise<void> {
    // The subscriber has nothing to finish: cut it (a queued SUBSCRIBE would hold a close up).
    this.subscriber.destroy();
    await closeOrCut(this.commands);
  }

  subscribe(channel: string, listener: ChannelListener): Promise<void> {
    return this.subscriber.subscribe(channel, listener);
  }

  unsubscribe(channel: string, listener: ChannelListener): Promise<void> {
    return this.subscriber.unsubscribe(channel, listener);
  }
}
