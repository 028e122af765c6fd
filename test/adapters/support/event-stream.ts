/**
 * A `text/event-stream` parser as the HTML spec interprets one (section 9.2.6, "Interpreting an
 * event stream"), as an EventSource would, without reconnecting: UTF-8 decoded as it streams
 * (a leading BOM dropped), lines ended by CRLF, LF or CR (a CRLF split between chunks is one
 * line break), `data` lines joined with LF, the last event id kept from event to event.
 */

export type StreamEvent = Readonly<{
  /** `event:`, or `message` when it had none. */
  type: string;
  data: string;
  /** The last `id:` seen so far (the spec's last event ID string), '' if none. */
  lastEventId: string;
}>;

export type EventStreamHandlers = Readonly<{
  event: (event: StreamEvent) => void;
  /** A comment line, without its leading colon. */
  comment?: (text: string) => void;
}>;

const LF = '\n';
const CR = '\r';

export class EventStreamParser {
  readonly #decoder = new TextDecoder('utf-8');
  /** The line read so far. */
  #line = '';
  /** The last character was a CR: an LF right after it ends no further line. */
  #afterCr = false;
  #data = '';
  #eventType = '';
  #lastEventIdBuffer = '';
  #lastEventId = '';
  /** The `retry:` field's last valid value, in milliseconds. */
  reconnectionTime: number | undefined;

  constructor(private readonly handlers: EventStreamHandlers) {}

  /** The next bytes of the stream (or text, already decoded). */
  push(chunk: Uint8Array | string): void {
    const text = typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (char === LF && this.#afterCr) {
        this.#afterCr = false;
        start = i + 1;
        continue;
      }
      this.#afterCr = false;
      if (char !== LF && char !== CR) continue;
      const line = this.#line + text.slice(start, i);
      this.#line = '';
      start = i + 1;
      this.#afterCr = char === CR;
      this.#processLine(line);
    }
    this.#line += text.slice(start);
  }

  /** The stream ended: an event not yet ended by a blank line is discarded, as the spec says. */
  end(): void {
    this.#line = '';
    this.#data = '';
    this.#eventType = '';
  }

  #processLine(line: string): void {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.startsWith(':')) {
      this.handlers.comment?.(line.slice(1));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.#processField(field, value);
  }

  #processField(field: string, value: string): void {
    switch (field) {
      case 'event':
        this.#eventType = value;
        return;
      case 'data':
        this.#data += `${value}${LF}`;
        return;
      case 'id':
        if (!value.includes('\0')) this.#lastEventIdBuffer = value;
        return;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.reconnectionTime = Number(value);
        return;
      default:
        return; // other fields are ignored
    }
  }

  #dispatch(): void {
    this.#lastEventId = this.#lastEventIdBuffer;
    if (this.#data === '') {
      this.#eventType = '';
      return;
    }
    const data = this.#data.endsWith(LF) ? this.#data.slice(0, -1) : this.#data;
    const type = this.#eventType === '' ? 'message' : this.#eventType;
    this.#data = '';
    this.#eventType = '';
    this.handlers.event({ type, data, lastEventId: this.#lastEventId });
  }
}
