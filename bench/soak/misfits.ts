// Clients that end badly: they vanish while the server writes to them (on any transport), or
// reset the connection in the middle of the handshake, or never finish it. After each, the server must let go of
// its side of the connection (read from /proc, see server-sockets.ts) within a deadline.
import { once } from 'node:events';
import { connect } from 'node:net';
import type { Target } from './link.ts';
import { messageText } from './message.ts';
import type { Random } from './random.ts';
import { RawWs } from './raw-ws.ts';
import type { ServerSettings } from './server.ts';
import type { SocketWatch } from './server-sockets.ts';
import type { Kind, Tally } from './tally.ts';
import { resolvesWithin, sleep, sleepUnless, waitFor } from './timing.ts';

export type MisfitContext = {
  target: Target;
  tally: Tally;
  watch: SocketWatch;
  settings: ServerSettings;
  /** Whether the server has a handshake deadline (`--handshake-timeout-ms`). */
  cutsHandshakes: boolean;
  /** The load is draining: finish now. */
  leaving: () => boolean;
  /** The flood a slow reader joined is over: it reads again. */
  floodOver: () => boolean;
};

const HANDSHAKE_MS = 5_000;
/** How long the server may take to let go of a connection its client reset or closed. */
const RELEASE_MS = 3_000;

/** Waits until the server no longer holds the connection from `port`; a problem if it does. */
export const expectReleased = async (
  context: MisfitContext,
  kind: Kind,
  port: number,
  limitMs: number,
  since = 'the client ended it',
): Promise<boolean> => {
  if (port === 0) return true;
  const started = performance.now();
  const released = await waitFor(() => !context.watch.holds(port), limitMs, 100);
  if (!released) {
    context.tally.problem(
      `${kind}: the server still held the connection from port ${port} ${(limitMs / 1000).toFixed(1)} s after ${since}`,
    );
  } else context.tally.cut(kind, performance.now() - started);
  return released;
};

/** Joins, chats a little, then vanishes while the server is writing to it. */
export const vanish = async (context: MisfitContext, rng: Random, name: string): Promise<void> => {
  const kind: Kind = 'vanish';
  const ws = new RawWs(context.target.port, kind, context.tally);
  const variant = rng.weighted({
    'reset right after sending': 2,
    'destroyed right after sending': 1,
    'reset with unread data': 2,
  });
  if (!(await ws.open(HANDSHAKE_MS))) {
    context.tally.problem(`${kind}: handshake not completed`);
    ws.socket.destroy();
    await ws.closed;
    return;
  }
  const port = ws.localPort;
  await sleepUnless(rng.between(300, 3_000), context.leaving);
  if (variant === 'reset with unread data') {
    ws.socket.pause(); // broadcasts pile up unread: closing then sends RST, not FIN
    await sleep(rng.between(300, 1_000));
  }
  const count = rng.int(1, 3);
  for (let i = 0; i < count; i++) ws.send(messageText('stray', name, i, rng.int(40, 2_000)));
  // Same turn as the sends: the server is about to write their broadcasts back to us.
  if (variant === 'destroyed right after sending') ws.socket.destroy();
  else ws.socket.resetAndDestroy();
  await ws.closed;
  context.tally.outcome(kind, variant);
  await expectReleased(context, kind, port, context.settings.writeTimeoutMs + RELEASE_MS);
};

/** Starts the upgrade and resets the connection before it completes. */
export const handshakeReset = async (context: MisfitContext, rng: Random): Promise<void> => {
  const kind: Kind = 'handshake reset';
  const ws = new RawWs(context.target.port, kind, context.tally);
  const variant = rng.weighted({
    'reset before sending anything': 1,
    'reset after part of the request': 3,
    'FIN after part of the request': 2,
    'reset right after the whole request': 2,
  });
  if (!(await resolvesWithin(ws.connected, HANDSHAKE_MS))) {
    context.tally.problem(`${kind}: could not connect`);
    return;
  }
  const port = ws.localPort;
  if (variant.includes('part of')) {
    ws.request(rng.int(1, RawWs.requestLength() - 1));
    await sleep(rng.between(0, 150));
  } else if (variant.includes('whole')) ws.request();
  if (variant.startsWith('FIN')) {
    ws.socket.end();
    if (!(await resolvesWithin(ws.closed, RELEASE_MS))) ws.socket.destroy();
  } else ws.socket.resetAndDestroy();
  await ws.closed;
  context.tally.outcome(kind, variant);
  await expectReleased(context, kind, port, RELEASE_MS);
};

/** Sends most of the upgrade request and then nothing: the handshake deadline must cut it. */
export const stalledHandshake = async (context: MisfitContext, rng: Random): Promise<void> => {
  const kind: Kind = 'stalled handshake';
  const ws = new RawWs(context.target.port, kind, context.tally);
  if (!(await resolvesWithin(ws.connected, HANDSHAKE_MS))) {
    context.tally.problem(`${kind}: could not connect`);
    return;
  }
  const started = performance.now();
  ws.request(rng.int(10, RawWs.requestLength() - 2)); // never the final CRLF
  const limitMs = context.settings.handshakeTimeoutMs + RELEASE_MS;
  if (await resolvesWithin(ws.closed, limitMs)) {
    context.tally.cut(kind, performance.now() - started);
    context.tally.outcome(kind, 'cut by the server');
    return;
  }
  context.tally.problem(
    `${kind}: still open ${(limitMs / 1000).toFixed(1)} s after its request stalled (handshake timeout ${context.settings.handshakeTimeoutMs} ms)`,
  );
  ws.socket.destroy();
  await ws.closed;
};

/** The same on the TCP line protocol or an SSE stream: it reads a while, then resets. */
export const vanishElsewhere = async (
  context: MisfitContext,
  rng: Random,
  name: string,
  transport: 'tcp' | 'sse',
): Promise<void> => {
  const kind: Kind = 'vanish';
  const { tally } = context;
  const port = transport === 'tcp' ? context.target.tcpPort : context.target.port;
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  let connected = false;
  socket.on('error', () => {});
  socket.on('data', (chunk: Buffer) => tally.message(false, chunk.length));
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => {
      if (connected) tally.closed(kind);
      else tally.failed(kind);
      resolve();
    });
  });
  if (!(await resolvesWithin(once(socket, 'connect'), HANDSHAKE_MS))) {
    tally.problem(`${kind} (${transport}): could not connect`);
    socket.destroy();
    await closed;
    return;
  }
  connected = true;
  tally.opened(kind);
  const localPort = socket.localPort ?? 0;
  if (transport === 'sse') {
    socket.write(
      `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`,
    );
  }
  await sleepUnless(rng.between(300, 3_000), context.leaving);
  if (transport === 'tcp') {
    const text = messageText('stray', name, 0, rng.int(40, 2_000));
    socket.write(`${text}\n`);
    tally.message(true, text.length);
  }
  socket.resetAndDestroy();
  await closed;
  tally.outcome(kind, `${transport} reset`);
  await expectReleased(context, kind, localPort, context.settings.writeTimeoutMs + RELEASE_MS);
};
