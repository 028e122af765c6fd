import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Session } from '../../app/session.ts';
import type { WriteDone } from '../kit/delivery.ts';
import { type Encoding, encodedAs, type Outbound } from '../kit/outbound-cache.ts';
import { SECURITY_HEADERS } from '../kit/security-headers.ts';
import { StreamConnection, type StreamConnectionSettings } from '../kit/stream-connection.ts';
import { encodeEvent, ServerEvent, SSE_HEADERS } from './sse-codec.ts';

export type SseConnectionSettings = StreamConnectionSettings & Readonly<{ keepaliveMs: number }>;

/** Each broadcast as one event, its sequence number as the event id. */
export const EVENT: Encoding = {
  slot: 0,
  encode: (message) => Buffer.from(encodeEvent(message.seq, message.text)),
};

/** The stream's head: an event stream that no page may frame or sniff. */
const STREAM_HEADERS = { ...SECURITY_HEADERS, ...SSE_HEADERS };

const now = (): number => Math.floor(performance.now());

/** One `GET /events` stream: the kit delivers to it; this adds keepalive comments. */
export class SseConnection extends StreamConnection<SseConnectionSettings> {
  readonly socket: Socket;
  #lastWriteAt = now();

  constructor(
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    settings: SseConnectionSettings,
    address: string | undefined,
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
    this.response.flushHeaders();
    this.socket.setNoDelay(true);
    super.attach(session);
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
        outbox.map((outbound) => encodedAs(outbound, EVENT)),
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
