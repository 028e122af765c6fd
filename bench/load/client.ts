// One generator connection on a raw TCP socket: the upgrade handshake, a minimal parser for
// the server's (unmasked) frames, and masked frames out. Every socket reads into one shared
// buffer (`onread`), so a read allocates nothing; only a frame split across reads is copied.
import { connect, type Socket } from 'node:net';
import { maskedFrame, maskedText, Opcode, parseUpgradeAnswer, upgradeRequest } from './frames.ts';
import { decodeMessageAt, type Fields, isMessageAt, MARKER, MESSAGE_BYTES } from './message.ts';
import {
  chatFrame,
  firstFrameMismatch,
  joinAnswer,
  joinFrame,
  type Protocol,
  SUBPROTOCOL,
} from './protocols.ts';
import type { Recorder } from './recorder.ts';

const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const fields: Fields = { sender: 0, seq: 0, sentUs: 0 };

type State = 'handshake' | 'open' | 'closed';

export type ClientOptions = {
  port: number;
  index: number;
  protocol: Protocol;
  /** Where received messages are counted; may be replaced between steps. */
  recorder: Recorder | undefined;
  now: () => number;
};

export class BenchClient {
  readonly index: number;
  /** The subprotocol the server selected: '' when none. */
  subprotocol = '';
  /** Why the first frame did not look like the protocol asked for, if it did not. */
  mismatch: string | undefined;
  closeCode: number | undefined;
  recorder: Recorder | undefined;
  /** The hubbub.v2 room asked for (`join`), where `send` sends. */
  room: string | undefined;
  /** Whether the server answered `joined` for `room`; `joinRefused` says why it did not. */
  joined = false;
  joinRefused: string | undefined;
  readonly opened: Promise<void>;
  #state: State = 'handshake';
  #mode: Protocol = 'plain';
  #checked = false;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Bytes the frame at the front of #pending needs before it can be parsed (0: unknown). */
  #needed = 0;
  readonly #socket: Socket;
  readonly #now: () => number;
  #resolve: () => void = () => {};
  #reject: (error: Error) => void = () => {};

  constructor(options: ClientOptions) {
    this.index = options.index;
    this.recorder = options.recorder;
    this.#now = options.now;
    const asked = SUBPROTOCOL[options.protocol];
    this.opened = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#socket = connect({
      host: '127.0.0.1',
      port: options.port,
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes: number, buffer: Uint8Array): boolean => {
          this.#onRead(bytes, buffer as Buffer, options.protocol);
          return true;
        },
      },
    });
    this.#socket.on('connect', () => this.#socket.write(upgradeRequest(options.port, asked)));
    this.#socket.on('error', (error) => this.#fail(error));
    this.#socket.on('close', () => this.#fail(new Error('connection closed')));
  }

  get isOpen(): boolean {
    return this.#state === 'open';
  }

  /** Sends a chat message in the protocol in use; false if the connection is gone. */
  send(text: string): boolean {
    if (this.#state !== 'open') return false;
    this.#socket.write(maskedText(chatFrame(this.#mode, text, this.room)));
    return true;
  }

  /** Joins a hubbub.v2 room: `joined` or `joinRefused` tells the answer once it came. */
  join(room: string): boolean {
    if (this.#state !== 'open' || this.#mode !== 'v2') return false;
    this.room = room;
    this.#socket.write(maskedText(joinFrame(room)));
    return true;
  }

  close(): void {
    this.#state = 'closed';
    this.#socket.destroy();
  }

  #fail(error: Error): void {
    if (this.#state === 'handshake') this.#reject(error);
    this.#state = 'closed';
  }

  #onRead(bytes: number, buffer: Buffer, protocol: Protocol): void {
    if (this.#state === 'closed') return;
    let data = buffer;
    let end = bytes;
    if (this.#pendingBytes > 0) {
      this.#pending.push(Buffer.from(buffer.subarray(0, bytes)));
      this.#pendingBytes += bytes;
      if (this.#pendingBytes < this.#needed) return;
      data = Buffer.concat(this.#pending, this.#pendingBytes);
      end = data.length;
      this.#pending = [];
      this.#pendingBytes = 0;
    }
    let at = 0;
    if (this.#state === 'handshake') {
      const headEnd = data.subarray(0, end).indexOf(HEAD_END);
      if (headEnd < 0) {
        this.#keep(data, 0, end, 0);
        return;
      }
      const answer = parseUpgradeAnswer(data.toString('latin1', 0, headEnd));
      if (answer.status !== 101) {
        this.#socket.destroy();
        this.#fail(new Error(`upgrade answered ${answer.status}`));
        return;
      }
      this.subprotocol = answer.subprotocol;
      const asked = SUBPROTOCOL[protocol];
      this.#mode = asked !== undefined && answer.subprotocol === asked ? protocol : 'plain';
      this.#state = 'open';
      this.#resolve();
      at = headEnd + HEAD_END.length;
    }
    this.#frames(data, at, end);
  }

  #frames(data: Buffer, from: number, end: number): void {
    const recorder = this.recorder;
    const nowUs = this.#now();
    recorder?.read();
    let at = from;
    while (end - at >= 2) {
      const b0 = data[at] as number;
      const b1 = data[at + 1] as number;
      let length = b1 & 0x7f;
      let header = 2;
      if (length === 126) {
        if (end - at < 4) break;
        length = data.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (end - at < 10) break;
        length = data.readUInt32BE(at + 2) * 2 ** 32 + data.readUInt32BE(at + 6);
        header = 10;
      }
      if ((b1 & 0x80) !== 0) header += 4; // servers must not mask; tolerated, unmasked below
      if (end - at < header + length) {
        this.#keep(data, at, end, header + length);
        return;
      }
      const start = at + header;
      const stop = start + length;
      const opcode = b0 & 0x0f;
      if (opcode <= Opcode.binary) {
        if (!this.#checked) {
          this.#checked = true;
          this.mismatch = firstFrameMismatch(this.#mode, data.toString('utf8', start, stop));
        }
        if (this.room !== undefined && !this.joined && this.joinRefused === undefined) {
          this.#answer(this.room, data.toString('utf8', start, stop));
        }
        if (recorder !== undefined) this.#payload(recorder, data, start, stop, nowUs);
      } else if (opcode === Opcode.close) {
        this.closeCode = length >= 2 ? data.readUInt16BE(start) : 1005;
        this.close();
        return;
      } else if (opcode === Opcode.ping) {
        this.#socket.write(maskedFrame(Opcode.pong, Buffer.from(data.subarray(start, stop))));
      }
      at = stop;
    }
    if (at < end) this.#keep(data, at, end, 0);
  }

  #answer(room: string, text: string): void {
    const answer = joinAnswer(text, room);
    if (answer?.kind === 'joined') this.joined = true;
    else if (answer?.kind === 'refused') this.joinRefused = answer.why;
  }

  /** Keeps the unparsed tail (copied: the read buffer is reused) until `needed` bytes are in. */
  #keep(data: Buffer, from: number, end: number, needed: number): void {
    this.#pending = [Buffer.from(data.subarray(from, end))];
    this.#pendingBytes = end - from;
    this.#needed = needed;
  }

  #payload(recorder: Recorder, data: Buffer, start: number, stop: number, nowUs: number): void {
    recorder.frame();
    if (this.#mode === 'plain') {
      if (stop - start === MESSAGE_BYTES && isMessageAt(data, start)) {
        decodeMessageAt(data, start, fields);
        recorder.deliver(this.index, fields, nowUs);
      } else recorder.foreign++;
      return;
    }
    // hubbub.v1 and v2: a JSON array of items; our texts need no escaping, so find them by marker.
    let found = false;
    let at = data.indexOf(MARKER, start);
    while (at >= 0 && at + MESSAGE_BYTES <= stop) {
      decodeMessageAt(data, at, fields);
      recorder.deliver(this.index, fields, nowUs);
      found = true;
      at = data.indexOf(MARKER, at + MESSAGE_BYTES);
    }
    if (!found) recorder.foreign++;
  }
}
