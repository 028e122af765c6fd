import { inject, injectable } from 'inversify';
import {
  type ConnectionId,
  type ConnectionState,
  type HubCommand,
  type HubDecider,
  type HubEvent,
  type HubState,
  hubDecider,
  type Unregistered,
} from '../domain/index.ts';
import { PersistentMap } from '../lib/persistent-map.ts';
import type { Config } from './config.ts';
import { ConnectionJournal } from './connection-journal.ts';
import { HubSession, type SessionHost } from './hub-session.ts';
import type { Clock } from './ports/clock.port.ts';
import type { Logger } from './ports/logger.port.ts';
import type { MessageLog } from './ports/message-log.port.ts';
import type { Metrics } from './ports/metrics.port.ts';
import type { Hub, Peer } from './ports/transport.port.ts';
import { HubClosedError, type PublishResult, type Session } from './session.ts';
import { TOKENS } from './tokens.ts';

export type HubListener = (event: HubEvent) => void;

/**
 * The hub use case: feeds commands to the pure core, keeps its state, and turns the events into
 * effects on peers (wake on broadcast, close on eviction). Listeners see every event in order.
 */
// No #private members here: esbuild (tsx) lowers them to WeakMap lookups in decorated classes,
// and this class is on the path of every delivery.
@injectable()
export class HubService implements Hub {
  private readonly decider: HubDecider;
  private hubState: HubState;
  private readonly peers = new Map<ConnectionId, Peer>();
  private readonly listeners = new Set<HubListener>();
  private nextId = 1;
  private closed = false;
  /** How many commands are executing (effects and listeners may call back into the hub). */
  private depth = 0;
  private readonly deferredPublishes: Array<() => void> = [];
  private drainingPublishes = false;
  /** The connection a transport is removing right now: already gone from `peers`. */
  private departing: Departing | undefined;
  private readonly journal: ConnectionJournal;

  constructor(
    @inject(TOKENS.Config) private readonly config: Config,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.MessageLog) private readonly log: MessageLog,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(TOKENS.Metrics) private readonly metrics: Metrics,
  ) {
    this.decider = hubDecider(config.sendBuffer, PersistentMap.empty<ConnectionState>());
    this.hubState = this.decider.initialState();
    this.journal = new ConnectionJournal(logger, metrics);
  }

  get state(): HubState {
    return this.hubState;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Registers a new connection; throws HubClosedError once shutdown has begun. */
  connect(peer: Peer): Session {
    if (this.closed) throw new HubClosedError('the hub is shutting down');
    const id = `c${this.nextId++}`;
    this.peers.set(id, peer);
    this.execute({ type: 'Register', connectionId: id, at: this.clock.now() });
    this.journal.opened(id, peer);
    return this.sessionFor(id, this.hubState.head);
  }

  /** Publishes a message from no registered connection; refused once shutdown has begun. */
  publish(text: string): PublishResult {
    if (this.closed) return 'closed';
    return this.publishText(text, undefined);
  }

  /** Every event, in the order it was applied; returns an unsubscribe function. */
  subscribe(listener: HubListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops taking connections and removes every registered one with reason `shutdown`. */
  shutdown(): void {
    this.closed = true;
    for (const connectionId of [...this.hubState.connections.keys()]) {
      this.execute({
        type: 'Unregister',
        connectionId,
        reason: 'shutdown',
        at: this.clock.now(),
      });
    }
  }

  private sessionFor(id: ConnectionId, joinedAfter: number): Session {
    return new HubSession(this.sessionHost, id, joinedAfter);
  }

  /** What sessions call; one object for the hub, so a connection costs no closures of its own. */
  private readonly sessionHost: SessionHost = {
    hasPeer: (id) => this.peers.has(id),
    head: () => this.hubState.head,
    publish: (id, text) => this.publishFrom(id, text),
    read: (after, max) => this.log.read(after, Math.min(max, this.hubState.head - after)),
    acknowledge: (id, upTo) =>
      this.execute({ type: 'Acknowledge', connectionId: id, upTo, at: this.clock.now() }),
    leave: (id, reason, detail) => {
      const peer = this.peers.get(id);
      if (peer === undefined) return;
      // Removed first, so the Unregistered effect does not ask the transport to close again.
      this.peers.delete(id);
      this.departing = { id, peer };
      try {
        this.execute({
          type: 'Unregister',
          connectionId: id,
          reason,
          at: this.clock.now(),
          ...(detail === undefined ? {} : { detail }),
        });
      } catch (error) {
        // Transports leave from socket callbacks: a bug of ours must not escape into Node.
        this.logger.error('leaving the hub failed', {
          connection: id,
          remote: peer.remote,
          error: String(error),
        });
      } finally {
        this.departing = undefined;
      }
    },
  };

  private publishFrom(from: ConnectionId, text: string): PublishResult {
    if (!this.peers.has(from)) return 'closed';
    return this.publishText(text, from);
  }

  private publishText(text: string, from: ConnectionId | undefined): PublishResult {
    if (Buffer.byteLength(text, 'utf8') > this.config.maxMessageBytes) return 'too-large';
    const publish = (): void => {
      const at = this.clock.now();
      const message = this.log.append(from === undefined ? { text, at } : { text, from, at });
      this.execute({
        type: 'Publish',
        seq: message.seq,
        text,
        at: message.at,
        ...(from === undefined ? {} : { from }),
      });
    };
    // A publish from inside a command (a listener reacting to an event) waits for that command
    // to finish, so the log's numbering and the hub's head advance together.
    if (this.depth > 0) this.deferredPublishes.push(publish);
    else publish();
    return 'published';
  }

  private execute(command: HubCommand): void {
    this.depth++;
    try {
      const events = this.decider.decide(this.hubState, command);
      for (const event of events) {
        const before = this.hubState;
        this.hubState = this.decider.evolve(before, event);
        if (event.type === 'Unregistered') this.recordDeparture(event, before);
        this.notify(event);
      }
      for (const event of events) this.applyEffect(event);
    } finally {
      this.depth--;
    }
    if (this.depth === 0 && !this.drainingPublishes) this.drainDeferredPublishes();
  }

  private recordDeparture(event: Unregistered, before: HubState): void {
    const departing = this.departing?.id === event.connectionId ? this.departing : undefined;
    const peer = departing?.peer ?? this.peers.get(event.connectionId);
    if (peer === undefined) return;
    const registeredAt = before.connections.get(event.connectionId)?.registeredAt ?? event.at;
    this.journal.closed(peer, event, registeredAt);
  }

  private drainDeferredPublishes(): void {
    this.drainingPublishes = true;
    try {
      for (let next = this.deferredPublishes.shift(); next; next = this.deferredPublishes.shift()) {
        next();
      }
    } finally {
      this.drainingPublishes = false;
    }
  }

  private applyEffect(event: HubEvent): void {
    switch (event.type) {
      case 'Broadcast': {
        const started = performance.now();
        for (const peer of this.peers.values()) peer.wake(event.seq);
        this.metrics.fanOut((performance.now() - started) / 1000);
        return;
      }
      case 'Unregistered': {
        const peer = this.peers.get(event.connectionId);
        if (peer === undefined) return; // the transport itself reported the departure
        this.peers.delete(event.connectionId);
        peer.close(event.reason, event.detail);
        return;
      }
      case 'Registered':
      case 'Overflowed':
      case 'Acknowledged':
        return;
      default: {
        const unknown: never = event;
        throw new Error(`unhandled event ${JSON.stringify(unknown)}`);
      }
    }
  }

  private notify(event: HubEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error('hub listener failed', { event: event.type, error: String(error) });
      }
    }
  }
}

type Departing = Readonly<{ id: ConnectionId; peer: Peer }>;
