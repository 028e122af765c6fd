import { setImmediate as nextTurn } from 'node:timers/promises';
import { defaultConfig } from '../../../src/app/config.ts';
import {
  type RunningServer,
  type ServerOverrides,
  startServer,
} from '../../support/start-server.ts';
import { encodeFrame, ping } from './frames.ts';
import { type Limits, limitsFor } from './oracle.ts';
import { RawConnection, SAFETY_MS, type ServerFrame } from './raw-connection.ts';

/** How the case connection ended, as seen on the wire. */
export type Ending =
  /** It answered a ping sent after the case, and then a client close with a 1000 echo. */
  | Readonly<{ kind: 'open' }>
  /** The server sent this close frame (in answer to the case, or of its own accord). */
  | Readonly<{ kind: 'closed'; code: number | undefined; reason: string }>
  /** The TCP connection ended without a close frame. */
  | Readonly<{ kind: 'cut' }>;

/** Everything one case did, on the wire and in the hub. */
export type Observation = Readonly<{
  /** The handshake response head of the case connection. */
  handshake: string;
  ending: Ending;
  /** Pongs the case connection received (the harness's own probe excluded). */
  pongs: Buffer[];
  /** Chat messages the hub broadcast from the case connection, as UTF-8 bytes. */
  broadcasts: Buffer[];
  /** What the observer, connected before the case, received during it. */
  observed: Buffer[];
  /** Text frames the case connection itself received. */
  ownTexts: Buffer[];
  /** Server frames that break the rules for servers: masked, RSV set, or sent after a close. */
  badServerFrames: ServerFrame[];
  /** Error lines the server logged during the case. */
  errors: string[];
}>;

/**
 * One server, one observer connected before every case, and a fresh client after each case to
 * prove the server still serves: the observer must receive its message, after exactly what the
 * case broadcast. Cases run one at a time, so the hub's events tell whose broadcast is whose.
 */
export class ProtocolHarness {
  #cases = 0;
  /** Observer text frames already accounted for. */
  #seen = 0;

  private constructor(
    readonly server: RunningServer,
    readonly observer: RawConnection,
    /** The server's limits, for the oracle. */
    readonly limits: Limits,
  ) {}

  static async start(overrides: ServerOverrides = {}): Promise<ProtocolHarness> {
    const server = await startServer(overrides);
    const limits = limitsFor(overrides.maxMessageBytes ?? defaultConfig().maxMessageBytes);
    try {
      return new ProtocolHarness(server, await RawConnection.open(server.port), limits);
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  /** Sends `chunks` on a fresh connection, lets the server react, and reports what happened. */
  async run(chunks: readonly Buffer[], pause = false, extraHeaders = ''): Promise<Observation> {
    const { server } = this;
    const n = ++this.#cases;
    const eventsBefore = server.events.length;
    const errorsBefore = this.#errorLines().length;
    const connection = await RawConnection.open(server.port, extraHeaders);
    try {
      const name = this.#registeredSince(eventsBefore);
      await connection.writeChunks(chunks, pause);
      const probe = Buffer.from(`harness probe ${n}`);
      const ending = await this.#settle(connection, name, probe);
      const broadcasts = server.events
        .slice(eventsBefore)
        .flatMap((e) => (e.type === 'Broadcast' && e.from === name ? [Buffer.from(e.text)] : []));
      const observed = await this.#healthCheck(n);
      // Nothing left behind: the case and the fresh client have left; the observer remains.
      await this.#untilHub(
        () => server.hub.state.connections.size === 1,
        () => `the hub to hold only the observer (has ${server.hub.state.connections.size})`,
      );
      return {
        handshake: connection.head,
        ending,
        pongs: connection.pongs.filter((p) => !p.equals(probe)),
        broadcasts,
        observed,
        ownTexts: connection.texts,
        badServerFrames: badFrames(connection.frames),
        errors: this.#errorLines().slice(errorsBefore),
      };
    } finally {
      connection.destroy();
    }
  }

  async stop(): Promise<void> {
    this.observer.destroy();
    await this.server.stop();
  }

  /** Probes with a ping: a pong means still open (then closes normally), else the close. */
  async #settle(connection: RawConnection, name: string, probe: Buffer): Promise<Ending> {
    connection.write(encodeFrame(ping(probe)));
    const answered = (): boolean | undefined =>
      connection.isClosed || connection.closeFrame !== undefined
        ? false
        : connection.pongs.some((p) => p.equals(probe)) || undefined;
    const open = await connection.until(answered, 'a pong or a close after the case');
    if (!open) {
      await connection.waitClosed();
      const frame = connection.closeFrame;
      if (frame === undefined) return { kind: 'cut' };
      return {
        kind: 'closed',
        code: frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : undefined,
        reason: frame.payload.subarray(2).toString('utf8'),
      };
    }
    // Still open: its own broadcasts reach it too, then it closes normally.
    const own = (): number =>
      this.server.events.filter((e) => e.type === 'Broadcast' && e.from === name).length;
    await connection.until(
      () => (connection.texts.length >= own() ? true : undefined),
      'the case connection to receive its own messages',
    );
    await connection.close(1000);
    const echo = connection.closeFrame?.payload;
    if (echo === undefined || echo.length < 2 || echo.readUInt16BE(0) !== 1000) {
      throw new Error(`a client close 1000 was answered with ${connection.describe()}`);
    }
    return { kind: 'open' };
  }

  /** A fresh client's message reaches the observer; returns what the observer got before it. */
  async #healthCheck(n: number): Promise<Buffer[]> {
    // Short enough for the smallest --max-message-bytes a test uses.
    const marker = Buffer.from(`ok ${n}`);
    const fresh = await RawConnection.open(this.server.port);
    try {
      fresh.sendText(marker);
      const refused = fresh.closed.then(() => {
        throw new Error(`the fresh client was closed: ${fresh.describe()}`);
      });
      refused.catch(() => {}); // only raced while waiting below
      const index = await Promise.race([
        refused,
        this.observer.until(() => {
          const at = this.observer.texts.findIndex((t, i) => i >= this.#seen && t.equals(marker));
          return at === -1 ? undefined : at;
        }, `the observer to receive "${marker}" from a fresh client`),
      ]);
      const observed = this.observer.texts.slice(this.#seen, index);
      this.#seen = index + 1;
      await fresh.close(1000);
      return observed;
    } finally {
      fresh.destroy();
    }
  }

  /** The user name of the one connection registered since `index` (a guest's, unique enough). */
  #registeredSince(index: number): string {
    const names = this.server.events
      .slice(index)
      .flatMap((e) => (e.type === 'Registered' ? [e.name] : []));
    if (names.length !== 1) throw new Error(`expected one registration, saw ${names.length}`);
    return names[0] as string;
  }

  async #untilHub(check: () => boolean, what: () => string): Promise<void> {
    const deadline = Date.now() + SAFETY_MS;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
      await nextTurn();
    }
  }

  #errorLines(): string[] {
    return this.server.logger.lines
      .filter((line) => line.level === 'error')
      .map((line) => `${line.message} ${JSON.stringify(line.fields)}`);
  }
}

const badFrames = (frames: readonly ServerFrame[]): ServerFrame[] => {
  const closeAt = frames.findIndex((f) => f.opcode === 8);
  return frames.filter((f, i) => f.masked || f.rsv !== 0 || (closeAt !== -1 && i > closeAt));
};
