// A WebSocket client on a bare socket, for the clients that misbehave: it can send part of the
// upgrade request, stop reading (pause), never answer pings, or reset the connection. Counted in
// the tally as opened once TCP connects and closed when the socket closes.
import { connect, type Socket } from 'node:net';
import {
  maskedFrame,
  maskedText,
  Opcode,
  parseUpgradeAnswer,
  upgradeRequest,
} from '../load/frames.ts';
import type { Kind, Tally } from './tally.ts';
import { resolvesWithin } from './timing.ts';

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

export class RawWs {
  readonly socket: Socket;
  readonly connected: Promise<void>;
  /** Resolves on the 101 answer; rejects on any other answer or a close before it. */
  readonly upgraded: Promise<void>;
  readonly closed: Promise<void>;
  /** The server's close frame, if one arrived: code and reason. */
  closeCode: number | undefined;
  closeReason = '';
  /** Answer pings with pongs (a live client); off for half-open ones. */
  autoPong = true;
  #upgrading = true;
  #pending: Buffer | undefined;
  #isConnected = false;
  #resolveUpgrade: () => void = () => {};
  #rejectUpgrade: (error: Error) => void = () => {};

  constructor(
    readonly port: number,
    kind: Kind,
    private readonly tally: Tally,
  ) {
    this.socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.socket.on('error', () => {});
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', () => {
        this.#isConnected = true;
        tally.opened(kind);
        resolve();
      });
      this.socket.once('close', () => reject(new Error('closed before it connected')));
    });
    this.upgraded = new Promise((resolve, reject) => {
      this.#resolveUpgrade = resolve;
      this.#rejectUpgrade = reject;
    });
    this.closed = new Promise((resolve) => {
      this.socket.once('close', () => {
        if (this.#isConnected) tally.closed(kind);
        else tally.failed(kind);
        this.#rejectUpgrade(new Error('closed during the handshake'));
        resolve();
      });
    });
    this.connected.catch(() => {});
    this.upgraded.catch(() => {});
    this.socket.on('data', (chunk: Buffer) => this.#onData(chunk));
  }

  /** The local port: how the server's side of this connection is found in /proc. */
  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  /** Connects and completes the handshake; false if either did not happen within `ms`. */
  async open(ms: number): Promise<boolean> {
    if (!(await resolvesWithin(this.connected, ms))) return false;
    this.request();
    return resolvesWithin(this.upgraded, ms);
  }

  /** Writes the upgrade request, or only its first `bytes` bytes. */
  request(bytes?: number): void {
    const whole = Buffer.from(upgradeRequest(this.port, undefined), 'latin1');
    this.socket.write(bytes === undefined ? whole : whole.subarray(0, bytes));
  }

  static requestLength(): number {
    return Buffer.byteLength(upgradeRequest(0, undefined), 'latin1');
  }

  send(text: string): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(maskedText(text));
    this.tally.message(true, text.length);
  }

  sendClose(code: number): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.socket.write(maskedFrame(Opcode.close, payload));
  }

  #onData(chunk: Buffer): void {
    let data = this.#pending === undefined ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = undefined;
    if (this.#upgrading) {
      const end = data.indexOf(HEAD_END);
      if (end < 0) {
        this.#pending = data;
        return;
      }
      const { status } = parseUpgradeAnswer(data.toString('latin1', 0, end));
      this.#upgrading = false;
      if (status !== 101) {
        this.#rejectUpgrade(new Error(`upgrade answered ${status}`));
        this.socket.destroy();
        return;
      }
      this.#resolveUpgrade();
      data = data.subarray(end + HEAD_END.length);
    }
    this.#frames(data);
  }

  #frames(data: Buffer): void {
    let at = 0;
    while (data.length - at >= 2) {
      const b1 = data[at + 1] as number;
      let length = b1 & 0x7f;
      let header = 2;
      if (length === 126) {
        if (data.length - at < 4) break;
        length = data.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (data.length - at < 10) break;
        length = Number(data.readBigUInt64BE(at + 2));
        header = 10;
      }
      if (data.length - at < header + length) break;
      const start = at + header;
      const opcode = (data[at] as number) & 0x0f;
      if (opcode === Opcode.text) this.tally.message(false, length);
      else if (opcode === Opcode.ping && this.autoPong) {
        this.socket.write(
          maskedFrame(Opcode.pong, Buffer.from(data.subarray(start, start + length))),
        );
      } else if (opcode === Opcode.close && this.closeCode === undefined) {
        this.closeCode = length >= 2 ? data.readUInt16BE(start) : 1005;
        this.closeReason = data.toString('utf8', start + 2, start + length);
        this.sendClose(1000);
        this.socket.end();
      }
      at = start + length;
    }
    if (at < data.length) this.#pending = Buffer.from(data.subarray(at));
  }
}
