// Clients that stop reading. A half-open one goes silent too (no pong, no FIN: a peer whose
// network vanished); the keepalive must drop it. A slow reader keeps talking but reads nothing
// during a flood; the send buffer must evict it. Afterwards it reads again to learn how it
// ended: close 1008 when it reads again within the server's write deadline, else the server
// has cut the socket and no close frame arrives.
import { connect } from 'node:net';
import { messageText } from './message.ts';
import { expectReleased, type MisfitContext } from './misfits.ts';
import type { Random } from './random.ts';
import { RawWs } from './raw-ws.ts';
import type { Kind } from './tally.ts';
import { resolvesWithin, sleepUnless, waitFor } from './timing.ts';

const HANDSHAKE_MS = 5_000;
/** A slow reader reads again after this long at most, flood or not. */
const STALL_LIMIT_MS = 30_000;
/** After it reads again, how long a slow reader waits for the server's end before leaving. */
const READ_AGAIN_MS = 3_000;
/** Slack on top of the pong timeout: the server's sweep runs every quarter of a deadline. */
const DROP_SLACK_MS = 2_000;

export const halfOpen = async (context: MisfitContext): Promise<void> => {
  const kind: Kind = 'half-open';
  const ws = new RawWs(context.target.port, kind, context.tally);
  if (!(await ws.open(HANDSHAKE_MS))) {
    context.tally.problem(`${kind}: handshake not completed`);
    ws.socket.destroy();
    await ws.closed;
    return;
  }
  ws.autoPong = false;
  ws.socket.pause();
  const port = ws.localPort;
  // The reading must show the connection before its absence means anything.
  if (await waitFor(() => context.watch.holds(port), 2_000)) {
    const limitMs = context.settings.pongTimeoutMs + DROP_SLACK_MS;
    if (await expectReleased(context, kind, port, limitMs, 'it went silent')) {
      context.tally.outcome(kind, 'dropped by the server');
    }
  } else context.tally.outcome(kind, 'gone before it was seen held');
  ws.socket.destroy();
  await ws.closed;
};

/** Stops reading during a flood, keeps sending now and then, then reads again. */
export const slowReaderWs = async (
  context: MisfitContext,
  rng: Random,
  name: string,
): Promise<void> => {
  const kind: Kind = 'slow reader ws';
  const ws = new RawWs(context.target.port, kind, context.tally);
  if (!(await ws.open(HANDSHAKE_MS))) {
    context.tally.problem(`${kind}: handshake not completed`);
    ws.socket.destroy();
    await ws.closed;
    return;
  }
  ws.socket.pause();
  await chatWhileStalled(context, rng, name, (text) => ws.send(text));
  ws.socket.resume();
  if (await resolvesWithin(ws.closed, READ_AGAIN_MS)) {
    if (ws.closeCode === undefined) context.tally.outcome(kind, 'cut without a close frame');
    else {
      context.tally.close(kind, ws.closeCode, ws.closeReason);
      context.tally.outcome(
        kind,
        ws.closeCode === 1008 ? 'evicted (1008)' : `closed ${ws.closeCode}`,
      );
    }
    return;
  }
  context.tally.outcome(kind, 'not evicted (the flood did not fill its buffers)');
  ws.sendClose(1000);
  if (!(await resolvesWithin(ws.closed, READ_AGAIN_MS))) {
    context.tally.problem(`${kind}: no answer to its close within ${READ_AGAIN_MS} ms`);
    ws.socket.destroy();
    await ws.closed;
  }
};

/** The same on the TCP line protocol, which has no keepalive: only eviction ends it. */
export const slowReaderTcp = async (
  context: MisfitContext,
  rng: Random,
  name: string,
): Promise<void> => {
  const kind: Kind = 'slow reader tcp';
  const { tally } = context;
  const socket = connect({ host: '127.0.0.1', port: context.target.tcpPort, noDelay: true });
  let connectedOnce = false;
  let serverSaid = '';
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => {
      if (connectedOnce) tally.closed(kind);
      else tally.failed(kind);
      resolve();
    });
  });
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  if (!(await resolvesWithin(connected, HANDSHAKE_MS))) {
    tally.problem(`${kind}: could not connect`);
    socket.destroy();
    await closed;
    return;
  }
  connectedOnce = true;
  tally.opened(kind);
  socket.pause();
  await chatWhileStalled(context, rng, name, (text) => {
    if (!socket.destroyed) socket.write(`${text}\n`);
    tally.message(true, text.length);
  });
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    serverSaid = /error: [^\n]*/.exec(chunk)?.[0] ?? serverSaid;
  });
  socket.resume();
  if (await resolvesWithin(closed, READ_AGAIN_MS)) {
    tally.close(kind, 'tcp', serverSaid || 'closed by the server');
    tally.outcome(kind, 'evicted (closed by the server)');
    return;
  }
  tally.outcome(kind, 'not evicted (the flood did not fill its buffers)');
  socket.end();
  if (!(await resolvesWithin(closed, READ_AGAIN_MS))) {
    tally.problem(`${kind}: the server did not close after the client's FIN`);
    socket.destroy();
    await closed;
  }
};

/** A line every second or so (the client is alive, only not reading) until the flood ends. */
const chatWhileStalled = async (
  context: MisfitContext,
  rng: Random,
  name: string,
  send: (text: string) => void,
): Promise<void> => {
  const until = performance.now() + STALL_LIMIT_MS;
  for (let n = 0; performance.now() < until; n++) {
    if (context.floodOver() || context.leaving()) return;
    send(messageText('stray', name, n, rng.int(30, 200)));
    await sleepUnless(rng.between(800, 1_500), () => context.floodOver() || context.leaving());
  }
};
