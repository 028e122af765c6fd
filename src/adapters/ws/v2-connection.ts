import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Logger } from '../../app/ports/logger.port.ts';
import type { RoomPeer } from '../../app/rooms/room-peer.ts';
import type { JoinResult } from '../../app/rooms/room-results.ts';
import type { RoomsHub } from '../../app/rooms/rooms-hub.ts';
import type { DepartureReason } from '../../domain/index.ts';
import type { Epoch, PresenceChange, RoomName } from '../../domain/rooms/index.ts';
import type { BatchWindow } from '../kit/batch-window.ts';
import { cutOffAfter } from '../kit/closing.ts';
import type { Swept } from '../kit/connection-sweep.ts';
import { drained } from '../kit/drained.ts';
import { bucketFor, type RateLimit, type TokenBucket } from '../kit/token-bucket.ts';
import { CloseCode, CloseReason } from './close-codes.ts';
import { closeGoingAway } from './going-away.ts';
import { itemsArray } from './hubbub-v1.ts';
import { aloneInFrame, V2Item } from './hubbub-v2-items.ts';
import { PeerLiveness } from './peer-liveness.ts';
import { handleV2Frame } from './v2-commands.ts';
import { V2RoomCursors } from './v2-room-cursors.ts';

export type V2Settings = Readonly<{
  rooms: RoomsHub;
  logger: Logger;
  maxMessageBytes: number;
  pingIntervalMs: number;
  pongTimeoutMs: number;
  writeTimeoutMs: number;
  /** The transport's one batch window for its hubbub.v2 connections. */
  batch: BatchWindow;
  rateLimit: RateLimit;
  withinAddressBudget: (address: string | undefined) => boolean;
  releaseSocket: (socket: Socket) => void;
  /** The socket has closed: the transport forgets the connection and gives its place back. */
  closed: (connection: V2Connection) => void;
}>;

const NORMAL_CLOSE_CODES = new Set([1000, 1001, 1005]);
const TEXT_FRAME = { binary: false } as const;

/** A frame's JSON array; one message alone (the usual live frame) is shared by every member. */
const payloadOf = (buffers: readonly Buffer[]): Buffer => {
  if (buffers.length === 1) return aloneInFrame(buffers[0] as Buffer);
  return itemsArray(
    buffers,
    buffers.reduce((sum, buffer) => sum + buffer.length, 0),
  );
};

/**
 * Replies (history pages, joins with history) queued or unwritten past which the next command
 * waits until the socket has drained: a client that asks for more than it reads stops being
 * read, and what it asks for never piles up in the server (the write deadline ends it).
 */
export const REPLY_HIGH_WATER_BYTES = 1024 * 1024;

/**
 * One `hubbub.v2` client: many rooms on one WebSocket. Replies and presence go out in the order
 * they happen, each room's messages in seq order after its `joined`; what the client has been
 * written is acknowledged to the rooms hub, which evicts a client whose send buffer, all its
 * rooms together, is full.
 */
export class V2Connection implements RoomPeer, Swept {
  readonly transport = 'ws';
  readonly showsPresence = true;
  id: string | undefined;
  /** Per room joined: the last message handed to the socket. */
  readonly cursors = new V2RoomCursors();
  private readonly items: Buffer[] = [];
  private itemBytes = 0;
  private flushScheduled = false;
  private bucket: TokenBucket | undefined;
  private readonly liveness: PeerLiveness;
  private done = false;
  /** The commands received, carried out one after another. */
  private commands: Promise<void> = Promise.resolve();

  constructor(
    readonly ws: WebSocket,
    readonly socket: Socket,
    readonly settings: V2Settings,
    readonly address: string | undefined,
    readonly name: string,
  ) {
    socket.on('error', () => {}); // ws destroys the socket on an error; the close says why
    ws.on('close', (code) => this.onClose(code));
    ws.on('error', () => this.leave('protocol_error'));
    this.liveness = new PeerLiveness(settings, Math.floor(performance.now()));
  }

  get remote(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  /** Registers with the rooms hub; false once it is shutting down. */
  start(): boolean {
    this.id = this.settings.rooms.connect(this, this.name);
    if (this.id === undefined) return false;
    this.send(V2Item.welcome(this.name, this.settings.maxMessageBytes));
    this.ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    return true;
  }

  /** Queues one item for the client. */
  send(item: string): void {
    if (this.done) return;
    const bytes = Buffer.from(item);
    this.items.push(bytes);
    this.itemBytes += bytes.length;
    this.schedule();
  }

  /** Before a command: large replies go out now, and wait, unread, for the socket to drain. */
  private async roomForReplies(): Promise<void> {
    if (this.itemBytes >= REPLY_HIGH_WATER_BYTES) this.flush();
    const { socket } = this;
    if (socket.writableLength < REPLY_HIGH_WATER_BYTES || socket.destroyed) return;
    this.ws.pause();
    await drained(socket);
    this.ws.resume();
  }

  joined(room: RoomName, answer: Extract<JoinResult, { kind: 'joined' }>): void {
    this.cursors.joined(room, answer);
    this.send(V2Item.joined(room, answer));
  }

  wake(): void {
    this.schedule();
  }

  /** The client sees the new `epoch` on the room's next message (PROTOCOL-v2 names no item for it). */
  renumbered(room: RoomName, epoch: Epoch): void {
    this.cursors.renumbered(room, epoch);
  }

  presence(change: PresenceChange): void {
    this.send(V2Item.presence(change));
  }

  /** The hub removed this connection. */
  close(reason: DepartureReason): void {
    this.flush();
    this.done = true;
    if (reason === 'shutdown') {
      if (this.ws.readyState === this.ws.OPEN)
        this.ws.close(CloseCode.GoingAway, CloseReason.shuttingDown);
      cutOffAfter(this.socket);
      return;
    }
    // Evicted (a full send buffer): the close frame is queued and the socket destroyed.
    if (this.ws.readyState === this.ws.OPEN)
      this.ws.close(CloseCode.PolicyViolation, CloseReason.sendBufferFull);
    this.settings.releaseSocket(this.socket);
    this.socket.destroy();
  }

  closeAndWait(): Promise<void> {
    return closeGoingAway(this.ws);
  }

  checkTimers(now: number): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const verdict = this.liveness.check(now, this.socket.bytesRead);
    if (verdict === 'ping') this.ws.ping();
    else if (verdict !== 'alive') this.drop(verdict);
  }

  /** Closes for a client fault: the close frame, then the socket ends and its place is free. */
  fail(code: number, reason: string, eviction: 'invalid_message' | 'rate_limited'): void {
    this.leave(eviction);
    this.done = true;
    this.ws.close(code, reason);
    this.settings.releaseSocket(this.socket);
    this.socket.end();
    cutOffAfter(this.socket);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.done || this.id === undefined) return;
    const at = performance.now();
    this.bucket ??= bucketFor(this.settings.rateLimit, at);
    const within =
      (this.bucket?.take(at) ?? true) && this.settings.withinAddressBudget(this.address);
    if (!within) {
      this.fail(CloseCode.PolicyViolation, CloseReason.rateLimited, 'rate_limited');
      return;
    }
    if (isBinary) {
      this.fail(CloseCode.UnsupportedData, CloseReason.binary, 'invalid_message');
      return;
    }
    const { id } = this;
    const text = data.toString('utf8');
    // One command at a time, in the order sent; a fault of ours is logged, never thrown at Node.
    this.commands = this.commands
      .then(() => this.roomForReplies())
      .then(() => handleV2Frame(this, id, text))
      .catch((error: unknown) => {
        this.settings.logger.error('hubbub.v2 command failed', { error: String(error) });
      });
  }

  private schedule(): void {
    if (this.flushScheduled || this.done) return;
    this.flushScheduled = true;
    this.settings.batch.schedule(this);
  }

  /** Writes what is queued and what the rooms have for this client as one frame. */
  flush(): void {
    this.flushScheduled = false;
    const { rooms } = this.settings;
    const taken = this.cursors.take(rooms, this.items);
    if (this.items.length === 0 || this.ws.readyState !== this.ws.OPEN) return;
    const buffers = this.items.splice(0);
    this.itemBytes = 0;
    this.liveness.writeStarted(Math.floor(performance.now()));
    // A Buffer goes out as a binary frame unless told otherwise; browsers would see a Blob.
    this.ws.send(payloadOf(buffers), TEXT_FRAME, (error) => {
      this.liveness.writeEnded(Math.floor(performance.now()));
      if (error !== undefined && error !== null) return;
      if (this.id !== undefined) this.cursors.written(rooms, this.id, taken);
    });
  }

  private drop(eviction: 'pong_timeout' | 'write_timeout'): void {
    this.leave(eviction);
    this.done = true;
    this.ws.terminate();
  }

  private leave(reason: DepartureReason): void {
    if (this.id !== undefined) this.settings.rooms.disconnect(this.id, reason);
  }

  private onClose(code: number): void {
    this.done = true;
    this.leave(NORMAL_CLOSE_CODES.has(code) ? 'left' : 'dropped');
    this.settings.closed(this);
  }
}
