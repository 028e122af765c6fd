/** The TCP line protocol's framing: one message per `\n`-terminated line. */

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export type LineResult = 'ok' | 'too-large';

/**
 * Splits inbound bytes into lines. A line may span chunks; only the pending partial line is
 * kept, and as soon as it (or a complete line) exceeds `maxBytes` the reader reports
 * `too-large` instead of buffering further. `maxBytes` counts every byte before the `\n`
 * (a trailing `\r` included); the `\r` is stripped from the line passed on.
 */
export class LineReader {
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Calls `onLine` for each complete line in `chunk`; stops at the first one too large. */
  push(chunk: Buffer, onLine: (line: Buffer) => boolean): LineResult {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) break;
      const bytes = this.#pendingBytes + (end - start);
      if (bytes > this.maxBytes) return 'too-large';
      let line = chunk.subarray(start, end);
      if (this.#pendingBytes > 0) {
        line = Buffer.concat([...this.#pending, line], bytes);
        this.#pending = [];
        this.#pendingBytes = 0;
      }
      if (line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN) {
        line = line.subarray(0, line.length - 1);
      }
      start = end + 1;
      if (!onLine(line)) return 'ok';
    }
    if (start < chunk.length) {
      const rest = chunk.length - start;
      if (this.#pendingBytes + rest > this.maxBytes) return 'too-large';
      // A copy: keeping a slice would pin the whole chunk in memory.
      this.#pending.push(Buffer.from(chunk.subarray(start)));
      this.#pendingBytes += rest;
    }
    return 'ok';
  }
}

const LINE_BREAKS = /[\r\n]/g;

/** One broadcast as one line: `\r` and `\n` inside the message become spaces. */
export const encodeLine = (text: string): string => `${text.replace(LINE_BREAKS, ' ')}\n`;

export const ServerLine = {
  tooLarge: 'error: message too large\n',
  notUtf8: 'error: message is not valid UTF-8\n',
  sendBufferFull: 'error: send buffer full\n',
  roomRestarted: 'error: room restarted: reconnect\n',
  shuttingDown: 'bye: server shutting down\n',
  rateLimited: 'error: rate limit exceeded: too many messages\n',
} as const;
