import { inject, injectable } from 'inversify';
import { DAY_MS } from '../../app/config.ts';
import type { Clock } from '../../app/ports/clock.port.ts';
import type {
  Engine,
  EngineLimits,
  JoinAnswer,
  NodePresence,
  RoomMessage,
  SendDraft,
  Stored,
} from '../../app/ports/engine.port.ts';
import type { Logger } from '../../app/ports/logger.port.ts';
import { TOKENS } from '../../app/tokens.ts';
import type { Seq } from '../../domain/index.ts';
import { type JoinRequest, type RoomName, recover } from '../../domain/rooms/index.ts';
import { makeRedisLink } from './make-redis-link.ts';
import { bodyOf, messageOf, messagesOf } from './message-codec.ts';
import { NodeIdentity } from './node-identity.ts';
import { PresenceBeat } from './presence-beat.ts';
import { KEY_PREFIX, roomKeys, sendIdKey } from './redis-keys.ts';
import type { RedisLink } from './redis-link.ts';
import { presenceSnapshot, readAfter, writePresence } from './redis-reads.ts';
import {
  COMMAND_TIMEOUT_MS,
  RedisUnavailableError,
  redisHost,
  WAIT_FOR_REDIS_MS,
  within,
} from './redis-unavailable.ts';
import { RoomChannel } from './room-channel.ts';

/** The Redis engine's options, as the redis module binds them. */
export const REDIS_ENGINE_OPTIONS = Symbol.for('hubbub.redis.EngineOptions');

export type RedisEngineOptions = EngineLimits &
  Readonly<{
    url: string;
    /** `url` is one node of a Redis Cluster. */
    cluster?: boolean;
    presenceTtlMs: number;
    /** What every key begins with (tests give each engine its own store this way). */
    keyPrefix?: string;
  }>;

/**
 * Rooms in Redis, shared by every process that points at it: a Lua script per publish numbers,
 * deduplicates, appends to the room's history stream and PUBLISHes atomically; each process
 * subscribes to a room's channel while it has members there, and closes any gap from the stream.
 */
// No #private members: esbuild (tsx) lowers them to WeakMap lookups in decorated classes.
@injectable()
export class RedisEngine implements Engine {
  private readonly identity = new NodeIdentity();
  private readonly node = this.identity.id;
  private readonly prefix: string;
  private readonly link: RedisLink;
  private readonly channels = new Map<RoomName, RoomChannel>();
  private readonly presence: PresenceBeat;
  private readonly metaTtlMs: number;

  constructor(
    @inject(REDIS_ENGINE_OPTIONS) private readonly options: RedisEngineOptions,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {
    this.prefix = options.keyPrefix ?? KEY_PREFIX;
    // A room's numbering outlives its history (and the dedupe window) by a day.
    this.metaTtlMs = Math.max(options.historyTtlMs, options.dedupeWindowMs) + DAY_MS;
    this.link = makeRedisLink(options, logger, {
      commands: () => this.presence.beat([]),
      subscriber: () => {
        for (const channel of this.channels.values()) channel.resubscribed();
      },
    });
    const fault = (error: unknown) =>
      logger.debug('redis presence write failed', { error: String(error) });
    this.presence = new PresenceBeat(
      (room, counts, sweep) =>
        writePresence(
          this.link.commands,
          this.keys(room),
          this.node,
          this.presenceWindow(),
          counts,
          sweep,
        ),
      fault,
    );
  }

  get available(): boolean {
    return this.link.available;
  }

  async open(): Promise<void> {
    const connected = this.link.connect();
    connected.catch((error: unknown) =>
      this.logger.warn('redis connect failed', { error: String(error) }),
    );
    await within(connected, WAIT_FOR_REDIS_MS, 'redis connect').catch(() => {
      this.logger.warn('redis not reachable at start; serving, and trying again', {
        redis: redisHost(this.options.url),
      });
    });
    this.presence.start(this.options.presenceTtlMs, () => this.channels.keys());
  }

  async close(): Promise<void> {
    await this.presence.stop();
    for (const channel of this.channels.values()) channel.close();
    this.channels.clear();
    await this.link.close();
  }

  async publish(draft: SendDraft): Promise<Stored> {
    this.mustBeAvailable();
    const keys = this.keys(draft.room);
    const { historySize, historyTtlMs, dedupeWindowMs } = this.options;
    const idKey = sendIdKey(keys, draft.from, draft.id ?? '');
    const reply = await this.answer(
      'publish',
      this.link.commands.hubbubPublish(
        [keys.meta, keys.log, idKey],
        [
          keys.channel,
          this.identity.newEpoch(),
          this.clock.now(),
          historySize,
          historyTtlMs,
          dedupeWindowMs,
          this.metaTtlMs,
          draft.id ?? '',
          bodyOf(draft),
        ].map(String),
      ),
    );
    const [epoch, seq, repeat, body] = reply;
    const numbered = { epoch: String(epoch), seq: Number(seq) };
    const message: RoomMessage = body
      ? messageOf(draft.room, numbered.epoch, numbered.seq, String(body))
      : { ...draft, ...numbered };
    return { message, repeat: repeat === 1 };
  }

  async join(room: RoomName, request: JoinRequest): Promise<JoinAnswer> {
    this.mustBeAvailable();
    const channel = this.channels.get(room);
    if (channel !== undefined) await within(channel.ready, WAIT_FOR_REDIS_MS, 'redis subscribe');
    const keys = this.keys(room);
    const reply = await this.link.commands.hubbubJoin(
      [keys.meta, keys.log],
      [
        this.identity.newEpoch(),
        this.clock.now(),
        this.options.historyTtlMs,
        this.metaTtlMs,
        request.since?.seq ?? -1,
        request.history ?? 0,
      ].map(String),
    );
    const epoch = String(reply[0]);
    const latest = Number(reply[1]);
    const window = { epoch, latest, messages: messagesOf(room, epoch, reply, 2) };
    return { epoch, seq: latest, ...recover(window, request) };
  }

  async history(room: RoomName, limit: number, before?: Seq): Promise<readonly RoomMessage[]> {
    if (limit <= 0) return [];
    this.mustBeAvailable();
    const keys = this.keys(room);
    const reply = await this.answer(
      'history',
      this.link.commands.hubbubHistory(
        [keys.meta, keys.log],
        [this.clock.now(), this.options.historyTtlMs, limit, before ?? -1].map(String),
      ),
    );
    return reply.length === 0 ? [] : messagesOf(room, String(reply[0]), reply, 1);
  }

  subscribe(room: RoomName, listener: (message: RoomMessage) => void): () => void {
    return this.listen(room, (channel) => channel.messageListeners, listener);
  }

  watchPresence(room: RoomName, listener: (presence: NodePresence) => void): () => void {
    return this.listen(room, (channel) => channel.presenceListeners, listener);
  }

  /** Adds `listener` to one of the room's channel's sets; the channel goes when both are empty. */
  private listen<T>(room: RoomName, listeners: (channel: RoomChannel) => Set<T>, listener: T) {
    const channel = this.channelOf(room);
    listeners(channel).add(listener);
    return () => {
      listeners(channel).delete(listener);
      this.dropIfIdle(room, channel);
    };
  }

  announce(room: RoomName, name: string, connections: number): void {
    this.presence.set(room, name, connections);
  }

  private channelOf(room: RoomName): RoomChannel {
    const known = this.channels.get(room);
    if (known !== undefined) return known;
    const name = this.keys(room).channel;
    const reader = {
      readAfter: (of: RoomName, after: number, upto?: number) =>
        readAfter(this.link.commands, this.keys(of), of, after, upto),
      presenceOf: (of: RoomName) =>
        presenceSnapshot(this.link.commands, this.keys(of), of, this.node, this.clock.now()),
    };
    const fault = (error: unknown) =>
      this.logger.warn('redis channel read failed', { room, error: String(error) });
    const subscribe = (listener: (raw: string) => void) => this.link.subscribe(name, listener);
    const ttl = this.options.presenceTtlMs;
    const channel = new RoomChannel(room, this.node, reader, subscribe, fault, ttl);
    this.channels.set(room, channel);
    return channel;
  }

  private dropIfIdle(room: RoomName, channel: RoomChannel): void {
    if (!channel.idle || this.channels.get(room) !== channel) return;
    channel.close();
    this.channels.delete(room);
    this.link.unsubscribe(this.keys(room).channel, channel.received).catch(() => {});
  }

  /** A command's answer, or `unavailable` once it took longer than a Redis that is there would. */
  private answer<T>(what: string, reply: Promise<T>): Promise<T> {
    return within(reply, COMMAND_TIMEOUT_MS, `redis ${what}`);
  }

  private mustBeAvailable(): void {
    if (!this.link.commandsReady) throw new RedisUnavailableError('redis is not reachable');
  }

  private presenceWindow() {
    const now = this.clock.now();
    return { now, expires: now + this.options.presenceTtlMs };
  }

  private keys(room: RoomName) {
    return roomKeys(room, this.prefix);
  }
}
