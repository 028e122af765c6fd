import { createCluster } from 'redis';
import type { Logger } from '../../app/ports/logger.port.ts';
import { CONNECT_TIMEOUT_MS, reconnectDelay } from './redis-connection.ts';
import type { ChannelListener, LinkReturns, RedisLink } from './redis-link.ts';
import { OutageLog } from './redis-outages.ts';
import { loadScripts, SCRIPTS } from './redis-scripts.ts';
import { closeOrCut, within } from './redis-unavailable.ts';

/**
 * What every connection to a node of the cluster is made with: the nodes are found through the
 * seed (`url`), and take its credentials and TLS. A command to a node that is away fails at
 * once (the sender is told `unavailable`) instead of waiting in a queue.
 */
const nodeDefaults = (url: string) => {
  const { protocol, username, password } = new URL(url);
  return {
    ...(username === '' ? {} : { username: decodeURIComponent(username) }),
    ...(password === '' ? {} : { password: decodeURIComponent(password) }),
    disableOfflineQueue: true,
    socket: {
      ...(protocol === 'rediss:' ? { tls: true as const } : {}),
      reconnectStrategy: reconnectDelay,
      connectTimeout: CONNECT_TIMEOUT_MS,
    },
  };
};

const commandCluster = (url: string) =>
  createCluster({ rootNodes: [{ url }], defaults: nodeDefaults(url), scripts: SCRIPTS });

type Cluster = ReturnType<typeof commandCluster>;

/** node-redis's type of a listener to unsubscribe, of either mode (ours are of strings). */
type AnyModeListener = Parameters<Cluster['unsubscribe']>[1];

/** How long one attempt to find the cluster and connect to its masters may take. */
const CONNECT_ATTEMPT_MS = 2 * CONNECT_TIMEOUT_MS;

type NodeAddress = Readonly<{ host: string; port: number }>;

/**
 * A Redis Cluster, found through one of its nodes. Commands go to the master of their room's
 * slot (node-redis follows MOVED and ASK, and learns the cluster's layout again when it
 * changes); PUB/SUB is classic SUBSCRIBE on one node of a cluster of its own (without
 * connections to the other nodes), since Redis Cluster forwards every PUBLISH to every node.
 */
export class ClusterRedisLink implements RedisLink {
  readonly commands: Cluster;
  private readonly subscriber: Cluster;
  private readonly outages: OutageLog;
  private readonly subscriberUp: Promise<void>;
  private markSubscriberUp = () => {};
  private closed = false;

  constructor(url: string, logger: Logger, returns: LinkReturns) {
    this.commands = commandCluster(url);
    // Subscriptions made while a node is away wait in the queue, and are sent once it is back.
    this.subscriber = this.commands.duplicate({
      minimizeConnections: true,
      defaults: { ...nodeDefaults(url), disableOfflineQueue: false },
    });
    this.subscriberUp = new Promise((resolve) => {
      this.markSubscriberUp = resolve;
    });
    this.outages = new OutageLog(logger);
    this.commands.on('node-ready', (node: NodeAddress) => {
      const client = this.commands.nodeByAddress.get(`${node.host}:${node.port}`)?.client;
      if (client !== undefined) loadScripts(client);
    });
    // A master that comes back may have stored messages whose PUBLISH never crossed the
    // cluster bus (it died first): the channels read what they missed, as after PUB/SUB's return.
    this.watch(this.commands, 'commands', () => {
      returns.commands();
      returns.subscriber();
    });
    this.watch(this.subscriber, 'subscriber', returns.subscriber);
  }

  get commandsReady(): boolean {
    return this.commands.isReady;
  }

  /** Every master is connected, and so is PUB/SUB (when its connection is not being opened). */
  get available(): boolean {
    const pubSub = this.subscriber.pubSubNode;
    return (
      this.commands.isReady &&
      this.commands.masters.every((master) => master.client?.isReady === true) &&
      this.subscriber.isReady &&
      (pubSub === undefined || pubSub.connectPromise !== undefined || pubSub.client.isReady)
    );
  }

  async connect(): Promise<void> {
    await Promise.all([
      this.keepConnecting(this.commands),
      this.keepConnecting(this.subscriber).then(this.markSubscriberUp),
    ]);
  }

  async close(): Promise<void> {
    this.closed = true;
    // The subscriber has nothing to finish: cut it (a queued SUBSCRIBE would hold a close up).
    this.subscriber.destroy();
    await closeOrCut(this.commands);
  }

  async subscribe(channel: string, listener: ChannelListener): Promise<void> {
    await this.subscriberUp;
    await this.subscriber.subscribe(channel, listener);
  }

  async unsubscribe(channel: string, listener: ChannelListener): Promise<void> {
    await this.subscriber.unsubscribe(channel, listener as AnyModeListener);
  }

  /**
   * node-redis asks the seed once per `connect`, then waits for a connection to every master it
   * was told of, for ever if one is dead: this tries again, with the waits of a lost connection,
   * and gives an attempt up after a while (the dead master may have been replaced meanwhile).
   */
  private async keepConnecting(cluster: Cluster): Promise<void> {
    for (let tries = 0; !this.closed; tries++) {
      try {
        await within(cluster.connect(), CONNECT_ATTEMPT_MS, 'redis cluster connect');
        return;
      } catch {
        // Logged from the cluster's 'error' events.
        if (cluster.isOpen && !this.closed) cluster.destroy();
      }
      await new Promise((resolve) => setTimeout(resolve, reconnectDelay(tries)).unref());
    }
    throw new Error('redis link closed before the cluster answered');
  }

  /** Logs each node's outages; `returned` runs on every node's ready once the cluster is known. */
  private watch(cluster: Cluster, role: string, returned: () => void): void {
    const where = (node: NodeAddress) => `${role} ${node.host}:${node.port}`;
    cluster.on('error', (error: Error) => this.outages.failed(`${role} cluster`, error));
    cluster.on('node-error', (error: Error, node: NodeAddress) =>
      this.outages.failed(where(node), error),
    );
    cluster.on('node-ready', (node: NodeAddress) => {
      this.outages.back(where(node));
      this.outages.back(`${role} cluster`);
      if (!cluster.isReady) return; // its first connections, as the cluster is being found
      // A PUB/SUB connection made anew is ready before its subscriptions are moved onto it.
      const moving = cluster.pubSubNode?.connectPromise ?? Promise.resolve();
      moving.then(returned, returned);
    });
    cluster.on('connect', () => this.outages.back(`${role} cluster`));
  }
}
