import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Session } from '../../app/session.ts';
import type { DepartureReason } from '../../domain/index.ts';
import type { Epoch, PresenceChange } from '../../domain/rooms/index.ts';
import type { WriteDone } from '../kit/delivery.ts';
import { joinRefusalText } from '../kit/join-hub.ts';
import { encodedAs, type Outbound } from '../kit/outbound-cache.ts';
import { SECURITY_HEADERS } from '../kit/security-headers.ts';
import { StreamConnection, type StreamConnectionSettings } from '../kit/stream-connection.ts';
import { answerPlain } from './plain-answer.ts';
import { ServerEvent, SSE_HEADERS } from './sse-codec.ts';
import { presenceEvent, renumberedEvents, streamStart } from './sse-events.ts';

export type SseConnectionSettings = StreamConnectionSettings &
  Readonly<{ keepaliveMs: number; maxMessageBytes: number; format: 'text' | 'v2' }>;

/** The stream's head: an event stream that no page may frame or sniff. */
const STREAM_HEADERS = { ...SECURITY_HEADERS, ...SSE_HEADERS };

const now = (): number => Math.floor(performance.now());

/**
 * One `GET /events` stream: the kit delivers to it; this begins it (resume, history, and with
 * `?format=v2` the welcome, the room and presence) and adds keepalive comments.
 */
export class SseConnection extends StreamConnection<SseConnectionSettings> {
  readonly socket: Socket;
  #lastWriteAt = now();
  /** Events that came after the join took effect and before the stream began (presence, a reset). */
  #afterOpening: string[] = [];

  constructor(
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    settings: SseConnectionSettings,
    address: string | undefined,
    /** A resume point was given: a stream that is not recovered begins with `reset`. */
    private readonly resuming: boolean,
  ) {
    super(settings, address);
    this.socket = request.socket;
    response.on('error', (error: NodeJS.ErrnoException) =>
      settings.logger.debug('event stream error', { remote: this.remote, code: error.code }),
    );
    response.on('close', () => this.#onClose());
  }

  /** The stream begins once the connection has joined the hub. */
  override attach(session: Session): void {
    this.response.writeHead(200, STREAM_HEADERS);
    const { room, name } = session;
    const entry = session.takeEntry();
    if (entry === undefined) throw new Error('the join was handed over already');
    const { format, maxMessageBytes, encoding } = this.settings;
    const start = { room, name, maxMessageBytes, format, resuming: this.resuming, entry };
    const first = streamStart(start, encoding) + this.#afterOpening.join('');
    this.#afterOpening = [];
    this.response.write(first, this.trackedWrite());
    this.socket.setNoDelay(true);
    super.attach(session);
  }

  get showsPresence(): boolean {
    return this.settings.format === 'v2';
  }

  presence(change: PresenceChange): void {
    if (this.settings.format === 'v2') this.#write(presenceEvent(change));
  }

  /**
   * The room's numbering restarted: what was taken goes out, then a `reset` to the new epoch's
   * start, and its messages follow with their new ids.
   */
  renumbered(epoch: Epoch): void {
    const events = renumberedEvents(epoch);
    if (this.session === undefined) this.#write(events);
    else this.restartDelivery(() => this.#write(events));
  }

  /**
   * A stream whose join is still on its way has not begun: evicted, or the server stopping, it
   * is refused as a new stream would be (503), not sent a goodbye without its head.
   */
  override close(reason: DepartureReason): void {
    if (this.session !== undefined) {
      super.close(reason);
      return;
    }
    this.stopDelivery();
    const why = reason === 'shutdown' ? joinRefusalText('shutdown') : 'send buffer full';
    answerPlain(this.response, 503, why, true);
  }

  /** An event of the connection's own; before the stream began, written after its opening. */
  #write(event: string): void {
    if (this.deliveryStopped) return;
    if (this.session === undefined) {
      this.#afterOpening.push(event);
      return;
    }
    this.#lastWriteAt = now();
    this.response.write(event, this.trackedWrite());
  }

  /** Write deadline and keepalive comments; called by the transport's sweep. */
  checkTimers(at: number): void {
    if (this.deliveryStopped) return;
    if (this.writeStalled(at)) {
      this.leave('write_timeout', 'write not completed in time');
      this.socket.destroy();
      return;
    }
    const { keepaliveMs, highWaterBytes } = this.settings;
    if (at - this.#lastWriteAt >= keepaliveMs && this.bufferedBytes < highWaterBytes) {
      this.#lastWriteAt = at;
      this.response.write(ServerEvent.keepalive, this.trackedWrite());
    }
  }

  /** The last event, then the stream and its socket end. */
  protected finish(last: string): void {
    const { socket } = this;
    if (!this.response.writableEnded) this.response.end(last, () => socket.end());
    else socket.end();
  }

  protected get stream(): ServerResponse {
    return this.response;
  }

  protected override writeOutbox(
    outbox: readonly Outbound[],
    bytes: number,
    head: number,
    done: WriteDone,
  ): number {
    this.#lastWriteAt = now();
    if (outbox.length === 1) return super.writeOutbox(outbox, bytes, head, done);
    // One chunk: an HTTP response sends each write as a chunk of its own, corked or not.
    this.response.write(
      Buffer.concat(
        outbox.map((outbound) => encodedAs(outbound, this.settings.encoding)),
        bytes,
      ),
      done,
    );
    return bytes;
  }

  #onClose(): void {
    this.onClosed();
    // The client went away (EventSource closed, tab gone): a normal departure.
    this.leave('left', 'client closed the stream');
  }
}
