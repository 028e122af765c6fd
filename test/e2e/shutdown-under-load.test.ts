// Shutdown under load drains: the real entry point, as a child process, with 60 WebSocket clients
// (plain and hubbub.v1, most on bare sockets so every byte is seen), an SSE stream and a TCP line
// client, while 15 of them publish. SIGTERM arrives with messages in flight. Every WebSocket
// client must get a 1001 close frame and not one byte after it, then the server's FIN (or, for
// clients that never answer the close, a cut-off); what each client got before its close must be
// a gap-free prefix of the one broadcast order, holding at least everything any client had been
// seen to receive when the signal was sent; SSE ends with `event: bye`, TCP with `bye: ...`, and
// the process exits 0 although some clients go on sending after the close frame.
import test, { type ExecutionContext } from 'ava';
import { WebSocket } from 'ws';
import { sleep, TestClient, waitUntil, within } from '../adapters/support/ws-client.ts';
import { freePort } from '../support/free-port.ts';
import { type HubbubProcess, startHubbub } from './support/hubbub-process.ts';
import {
  type OnServerClose,
  WireSseClient,
  WireTcpClient,
  WireWsClient,
} from './support/wire-clients.ts';

/** Load before the signal. */
const LOAD_MS = 1_200;
/** How long to wait, after LOAD_MS, for a moment with messages in flight to send SIGTERM. */
const SIGNAL_WAIT_MS = 500;
/** About 14 messages a second per sending connection: under the 20/s rate limit. */
const SEND_INTERVAL_MS = 70;
/** Bounds on every sending loop, far above what a run needs. */
const MAX_SENDS = 200;
const SENDING_FOR_MS = 12_000;
/** From SIGTERM to the exit and to every connection's end (the close grace is 2 s). */
const SHUTDOWN_BOUND_MS = 8_000;
const GOING_AWAY = { code: 1001, reason: 'server shutting down' } as const;
const TCP_BYE = 'bye: server shutting down';
const SSE_BYE = 'event: bye\ndata: server shutting down\n\n';
const WARMUP = 'warmup';

/** The WebSocket clients: how many of each kind, how many of them send, how many never answer. */
const LAYOUT = {
  rawPlain: { count: 24, senders: 6, ignoring: 3 },
  rawV1: { count: 16, senders: 4, ignoring: 2 },
  wsPlain: { count: 12, senders: 2 },
  wsV1: { count: 8, senders: 1 },
} as const;
const WS_CLIENTS =
  LAYOUT.rawPlain.count + LAYOUT.rawV1.count + LAYOUT.wsPlain.count + LAYOUT.wsV1.count;

/** What one client received, in order: with sequence numbers (hubbub.v1, SSE) or without. */
type Received = Readonly<{ name: string; seqs: number[] | undefined; texts: string[] }>;

type SenderRecord = {
  name: string;
  sent: number;
  sentAfterSignal: number;
  endedBecause: 'cannot send' | 'bound' | 'stopped' | undefined;
};

/** Every client is on 127.0.0.1 and sends in bursts: the rate limits are out of the way. */
const rateLimitArgs = ['--rate-limit', '1000', '--rate-limit-per-ip', '0'];

/** Starts hubbub with a TCP line port; the port is picked here, so a clash is retried. */
const startWithTcp = async (
  args: readonly string[],
): Promise<{
  hubbub: HubbubProcess;
  port: number;
  tcpPort: number;
  metricsUrl: string | undefined;
}> => {
  for (let attempt = 1; ; attempt++) {
    const tcpPort = await freePort();
    try {
      const started = await startHubbub([...args, '--tcp-port', String(tcpPort)]);
      return { ...started, tcpPort };
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('EADDRINUSE')) throw error;
    }
  }
};

const openWs = async (
  url: string,
  protocol: string | undefined,
  perMessageDeflate: boolean,
): Promise<TestClient> => {
  const ws =
    protocol === undefined
      ? new WebSocket(url, { perMessageDeflate })
      : new WebSocket(url, protocol, { perMessageDeflate });
  const client = new TestClient(ws);
  await within(
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }),
    `the WebSocket ${url} to open`,
  );
  return client;
};

/** The `message` items of hubbub.v1 frames; anything malformed goes to `problems`. */
const v1Items = (
  name: string,
  frames: readonly string[],
  problems: string[],
): { seqs: number[]; texts: string[] } => {
  const seqs: number[] = [];
  const texts: string[] = [];
  for (const frame of frames) {
    let items: unknown;
    try {
      items = JSON.parse(frame);
    } catch {
      problems.push(`${name}: a frame that is not JSON: ${frame.slice(0, 80)}`);
      continue;
    }
    if (!Array.isArray(items) || items.length === 0) {
      problems.push(`${name}: a frame that is not a non-empty array: ${frame.slice(0, 80)}`);
      continue;
    }
    for (const item of items as Array<{ type?: unknown; seq?: unknown; text?: unknown }>) {
      if (item.type !== 'message') continue; // reserved item types are ignored, as specified
      if (typeof item.seq !== 'number' || typeof item.text !== 'string') {
        problems.push(`${name}: a malformed message item ${JSON.stringify(item)}`);
        continue;
      }
      seqs.push(item.seq);
      texts.push(item.text);
    }
  }
  return { seqs, texts };
};

const sseMessages = (name: string, sse: WireSseClient, problems: string[]): Received => {
  const seqs: number[] = [];
  const texts: string[] = [];
  for (const block of sse.blocks) {
    if (block.every((line) => line.startsWith(':'))) continue; // keepalive comments
    if (block[0] === 'event: bye') continue; // checked apart: it must be last
    // The opening's last line: the room's position as the event id, with no data (no event).
    if (block.length === 1 && block[0]?.startsWith('id: ')) continue;
    const [id, data, ...rest] = block;
    if (!id?.startsWith('id: ') || !data?.startsWith('data: ') || rest.length > 0) {
      problems.push(`${name}: an unexpected event ${JSON.stringify(block)}`);
      continue;
    }
    // `id: <epoch>:<seq>`: the seq is after the last colon.
    seqs.push(Number(id.slice(id.lastIndexOf(':') + 1)));
    texts.push(data.slice(6));
  }
  return { name, seqs, texts };
};

/**
 * Checks that every client's messages are a gap-free prefix of one broadcast order, and that the
 * order keeps each sender's own order without gaps. Returns the order (seq to text) and the
 * problems found.
 */
const checkOrder = (
  all: readonly Received[],
  base: number,
  senderNames: ReadonlySet<string>,
): { order: Map<number, string>; problems: string[] } => {
  const order = new Map<number, string>();
  const problems: string[] = [];
  // Clients that see sequence numbers first: a plain client out of step is then the one named.
  const numberedFirst = [...all].sort(
    (a, b) => Number(a.seqs === undefined) - Number(b.seqs === undefined),
  );
  for (const { name, seqs, texts } of numberedFirst) {
    const mine: string[] = [];
    texts.forEach((text, i) => {
      const expected = base + i;
      const seq = seqs?.[i] ?? expected;
      if (seq !== expected) {
        mine.push(`item ${i} has seq ${seq}, expected ${expected} (a gap, a repeat or a reorder)`);
        return;
      }
      const known = order.get(seq);
      if (known === undefined) order.set(seq, text);
      else if (known !== text) {
        mine.push(
          `seq ${seq} is ${JSON.stringify(text)}, another client got ${JSON.stringify(known)}`,
        );
      }
    });
    problems.push(...mine.slice(0, 3).map((problem) => `${name}: ${problem}`));
  }
  if (order.get(base) !== WARMUP) problems.push(`the first message is not ${WARMUP}`);
  const next = new Map<string, number>();
  for (let seq = base + 1; order.has(seq); seq++) {
    const text = order.get(seq) ?? '';
    const [sender = '', n] = text.split('#');
    const expected = next.get(sender) ?? 0;
    if (!senderNames.has(sender)) problems.push(`seq ${seq}: ${text} is from no sender`);
    else if (Number(n) !== expected) {
      problems.push(`seq ${seq}: ${text}, expected ${sender}#${expected} (lost or reordered)`);
    }
    next.set(sender, expected + 1);
  }
  return { order, problems };
};

const shutdownUnderLoad = async (
  t: ExecutionContext,
  options: Readonly<{ args: readonly string[]; deflate: boolean }>,
): Promise<void> => {
  const { hubbub, port, tcpPort, metricsUrl } = await startWithTcp([
    ...options.args,
    ...rateLimitArgs,
  ]);
  let stopped = false;
  const cleanups: Array<() => void> = [];
  t.teardown(() => {
    stopped = true;
    for (const cleanup of cleanups) cleanup();
    hubbub.kill();
  });
  const url = `ws://127.0.0.1:${port}/ws`;

  // Everyone connects; a 101 (or the SSE 200) means the hub has registered the connection.
  const openRaw = async (
    kind: 'plain' | 'v1',
    i: number,
    onServerClose: OnServerClose,
  ): Promise<WireWsClient> => {
    const client = await WireWsClient.open(port, {
      name: `raw-${kind}-${i}${onServerClose === 'ignore' ? '-ignoring' : ''}`,
      onServerClose,
      ...(kind === 'v1' ? { protocol: 'hubbub.v1' } : {}),
    });
    cleanups.push(() => client.destroy());
    return client;
  };
  const openLib = async (kind: 'plain' | 'v1'): Promise<TestClient> => {
    const client = await openWs(url, kind === 'v1' ? 'hubbub.v1' : undefined, options.deflate);
    cleanups.push(() => client.ws.terminate());
    return client;
  };
  const rawPlain = await Promise.all(
    Array.from({ length: LAYOUT.rawPlain.count }, (_, i) =>
      openRaw('plain', i, i < LAYOUT.rawPlain.ignoring ? 'ignore' : 'answer'),
    ),
  );
  const rawV1 = await Promise.all(
    Array.from({ length: LAYOUT.rawV1.count }, (_, i) =>
      openRaw('v1', i, i < LAYOUT.rawV1.ignoring ? 'ignore' : 'answer'),
    ),
  );
  const wsPlain = await Promise.all(
    Array.from({ length: LAYOUT.wsPlain.count }, () => openLib('plain')),
  );
  const wsV1 = await Promise.all(Array.from({ length: LAYOUT.wsV1.count }, () => openLib('v1')));
  const sse = await WireSseClient.open(port);
  cleanups.push(() => sse.destroy());
  const tcp = await WireTcpClient.open(tcpPort);
  cleanups.push(() => tcp.destroy());
  for (const client of wsV1) t.is(client.ws.protocol, 'hubbub.v1');
  for (const client of [...wsPlain, ...wsV1]) {
    t.is(
      client.ws.extensions.includes('permessage-deflate'),
      options.deflate,
      'compression is negotiated exactly when the server offers it',
    );
  }

  const decodeProblems: string[] = [];
  const receivedBy = (): Received[] => {
    decodeProblems.length = 0;
    const text = (payload: Buffer): string => payload.toString('utf8');
    return [
      ...rawPlain.map((c) => ({
        name: c.name,
        seqs: undefined,
        texts: c.frames.map((f) => text(f.payload)),
      })),
      ...rawV1.map((c) => ({
        name: c.name,
        ...v1Items(
          c.name,
          c.frames.map((f) => text(f.payload)),
          decodeProblems,
        ),
      })),
      ...wsPlain.map((c, i) => ({ name: `ws-plain-${i}`, seqs: undefined, texts: c.messages })),
      ...wsV1.map((c, i) => ({
        name: `ws-v1-${i}`,
        ...v1Items(`ws-v1-${i}`, c.messages, decodeProblems),
      })),
      { name: 'tcp', seqs: undefined, texts: tcp.lines.filter((line) => line !== TCP_BYE) },
      sseMessages('sse', sse, decodeProblems),
    ];
  };

  // The first message, from the TCP client, reaches everyone: every connection is in the hub.
  tcp.sendLine(WARMUP);
  await waitUntil(
    () => receivedBy().every((received) => received.texts.length >= 1),
    () =>
      `${WARMUP} at every client (missing at ${receivedBy()
        .filter((r) => r.texts.length === 0)
        .map((r) => r.name)
        .join(', ')})`,
  );
  const base = (receivedBy().find((r) => r.name === 'sse')?.seqs ?? [])[0] ?? 1;

  // The load: 15 connections publish, each at most one message every SEND_INTERVAL_MS.
  let signalled = false;
  const records: SenderRecord[] = [];
  const loops: Promise<void>[] = [];
  const startSender = (
    name: string,
    send: (text: string, n: number) => boolean | Promise<boolean>,
  ): void => {
    const record: SenderRecord = { name, sent: 0, sentAfterSignal: 0, endedBecause: undefined };
    records.push(record);
    loops.push(
      (async () => {
        await sleep(records.length * 4); // staggered, as real clients are
        const deadline = Date.now() + SENDING_FOR_MS;
        for (let n = 0; n < MAX_SENDS && Date.now() < deadline; n++) {
          if (stopped) {
            record.endedBecause = 'stopped';
            return;
          }
          if (!(await send(`${name}#${n}`, n))) {
            record.endedBecause = 'cannot send';
            return;
          }
          record.sent++;
          if (signalled) record.sentAfterSignal++;
          await sleep(SEND_INTERVAL_MS);
        }
        record.endedBecause = 'bound';
      })(),
    );
  };
  const v1Send = (text: string): string => JSON.stringify({ type: 'send', text });
  const rawSenders = [
    ...rawPlain.slice(0, LAYOUT.rawPlain.senders).map((c) => ({ c, wire: (s: string) => s })),
    ...rawV1.slice(0, LAYOUT.rawV1.senders).map((c) => ({ c, wire: v1Send })),
  ];
  for (const { c, wire } of rawSenders) {
    // Clients that ignore the close frame go on sending after it, with a ping now and then.
    startSender(c.name, (text, n) => {
      const sent = c.sendText(wire(text));
      if (sent && c.closeFrame !== undefined && n % 3 === 0) c.ping();
      return sent;
    });
  }
  const libSenders = [
    ...wsPlain
      .slice(0, LAYOUT.wsPlain.senders)
      .map((c, i) => ({ c, name: `ws-plain-${i}`, v1: false })),
    ...wsV1.slice(0, LAYOUT.wsV1.senders).map((c, i) => ({ c, name: `ws-v1-${i}`, v1: true })),
  ];
  for (const { c, name, v1 } of libSenders) {
    startSender(name, (text) => {
      if (c.ws.readyState !== WebSocket.OPEN) return false;
      c.send(v1 ? v1Send(text) : text);
      return true;
    });
  }
  startSender('tcp', (text) => tcp.sendLine(text));
  const postStatuses: number[] = [];
  startSender('post', async (text) => {
    if (hubbub.hasExited) return false;
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/send`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: text,
        signal: AbortSignal.timeout(3_000),
      });
      await answer.arrayBuffer();
      postStatuses.push(answer.status);
    } catch {
      postStatuses.push(0); // refused or reset: the server is going
    }
    return true;
  });
  const senderNames = new Set(records.map((record) => record.name));

  await sleep(LOAD_MS);
  // SIGTERM goes when messages are in flight for sure: the moment the TCP client has a
  // broadcast that the WebSocket clients have not (theirs waits for the batch window), or after
  // SIGNAL_WAIT_MS without such a moment. What every client has then is noted in the same turn:
  // everything any client had received by the signal must reach every client before its close.
  const probe = rawPlain.at(-1) as WireWsClient;
  const { signalAt, drainedUpTo, drainedBy, inFlight } = await new Promise<{
    signalAt: number;
    drainedUpTo: number;
    drainedBy: string[];
    inFlight: number;
  }>((resolve) => {
    const signal = (): void => {
      tcp.socket.off('data', onData);
      clearTimeout(timer);
      signalled = true;
      hubbub.child.kill('SIGTERM');
      const signalAt = Date.now();
      const lasts = receivedBy().map((r) => ({ name: r.name, last: base + r.texts.length - 1 }));
      const drainedUpTo = Math.max(...lasts.map(({ last }) => last));
      const drainedBy = lasts.filter(({ last }) => last === drainedUpTo).map(({ name }) => name);
      const inFlight = tcp.lines.length - probe.frames.length;
      resolve({ signalAt, drainedUpTo, drainedBy, inFlight });
    };
    const onData = (): void => {
      if (tcp.lines.length > probe.frames.length) signal();
    };
    const timer = setTimeout(signal, SIGNAL_WAIT_MS);
    tcp.socket.on('data', onData);
  });

  const exit = await hubbub.waitForExit(SHUTDOWN_BOUND_MS);
  const exitMs = Date.now() - signalAt;
  const stillSendingAtExit = records.filter((r) => r.endedBecause === undefined).map((r) => r.name);
  const connectionsEnded = [
    ...[...rawPlain, ...rawV1].map((c) => c.ended),
    ...[...wsPlain, ...wsV1].map((c) => c.closed),
    sse.ended,
    tcp.ended,
  ];
  await within(Promise.all(connectionsEnded), 'every connection to end', SHUTDOWN_BOUND_MS);
  stopped = true;
  await within(Promise.all(loops), 'the sending loops to end', SHUTDOWN_BOUND_MS);

  // The process: exit 0, in time, having said why, and no error logged.
  t.deepEqual(exit, { code: 0, signal: null }, `exit after SIGTERM; stderr:\n${hubbub.stderr}`);
  t.true(exitMs < SHUTDOWN_BOUND_MS, `exited ${exitMs} ms after SIGTERM`);
  t.deepEqual(hubbub.stdoutLines, [
    `Hubbub listening on http://127.0.0.1:${port}`,
    `Hubbub TCP lines on 127.0.0.1:${tcpPort}`,
    `Hubbub metrics on ${metricsUrl}`,
  ]);
  t.regex(hubbub.stderr, /SIGTERM received/);
  const logLines = hubbub.stderr.split('\n').flatMap((line): Array<Record<string, unknown>> => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return []; // not a log record: the signal line
    }
  });
  t.like(
    logLines.find((line) => line.msg === 'hubbub stopped'),
    { connectionsClosed: WS_CLIENTS + 2 },
    'the stop is logged with every connection',
  );
  t.deepEqual(
    logLines.filter((line) => line.level === 'error'),
    [],
    'nothing logged as an error',
  );

  // Every WebSocket client on a bare socket: a 1001 close frame, then not one byte; text frames
  // only before it; then the server ends the connection: a FIN after the closing handshake, long
  // before it cuts off those that never answered (so not just the process exiting), and then
  // the cut-off for those.
  const cutOffAt = Math.min(
    ...[...rawPlain, ...rawV1]
      .filter((c) => c.onServerClose === 'ignore')
      .map((c) => c.closedAt ?? Number.POSITIVE_INFINITY),
  );
  for (const client of [...rawPlain, ...rawV1]) {
    const name = client.name;
    t.deepEqual(client.close, GOING_AWAY, `${name}: the close frame`);
    t.is(
      client.bytesAfterClose,
      0,
      `${name}: bytes after the close frame: ${client.framesAfterClose.map((f) => `opcode ${f.opcode} ${JSON.stringify(f.payload.toString('utf8').slice(0, 60))}`).join('; ')}`,
    );
    t.true(
      client.frames.every((frame) => frame.opcode === 1 && frame.fin && !frame.masked),
      `${name}: only whole, unmasked text frames before the close`,
    );
    t.false(client.destroyedByUs, `${name}: the server ended the connection, not the test`);
    t.true(client.isClosed, `${name}: the connection is closed`);
    if (client.onServerClose === 'answer') {
      t.true(client.endedByServer, `${name}: the server sent FIN after the closing handshake`);
      t.true(
        (client.endedAt ?? Number.POSITIVE_INFINITY) < cutOffAt,
        `${name}: the FIN came before the cut-off of the clients that did not answer`,
      );
    } else {
      t.true(client.sentAfterClose > 0, `${name}: it went on sending after the close frame`);
    }
    t.deepEqual(
      client.errors.filter((e) => !/ECONNRESET|EPIPE/.test(e.message)),
      [],
      name,
    );
  }
  // The `ws` library clients: 1001 with its reason, nothing but text.
  for (const [i, client] of [...wsPlain, ...wsV1].entries()) {
    t.deepEqual(client.closedWith, GOING_AWAY, `ws client ${i}: the close`);
    t.is(client.binaryMessages, 0);
    t.deepEqual(client.errors, []);
  }
  // SSE: the stream completes with one `event: bye`, last.
  t.true(sse.completed, 'the event stream ended normally');
  t.true(
    (sse.completedAt ?? Number.POSITIVE_INFINITY) < cutOffAt,
    'the event stream ended at once',
  );
  t.true(sse.body.endsWith(SSE_BYE), `the event stream ends with bye: ...${sse.body.slice(-80)}`);
  t.is(sse.body.split('event: bye').length, 2, 'one bye event');
  t.deepEqual(sse.errors, []);
  // TCP: one bye line, last, then the server ends the connection.
  t.true(tcp.received.endsWith(`${TCP_BYE}\n`), `TCP ends with bye: ...${tcp.received.slice(-80)}`);
  t.is(tcp.lines.filter((line) => line === TCP_BYE).length, 1, 'one bye line');
  t.true(tcp.endedByServer, 'the server ended the TCP connection');
  t.true((tcp.endedAt ?? Number.POSITIVE_INFINITY) < cutOffAt, 'the TCP connection ended at once');

  // Order: one broadcast order, each client a gap-free prefix of it, each sender's messages in
  // its own order without gaps.
  const received = receivedBy();
  t.deepEqual(decodeProblems, [], 'every frame and event decodes');
  const { order, problems } = checkOrder(received, base, senderNames);
  t.deepEqual(problems, [], 'every client received a gap-free prefix of the broadcast order');
  // Drained: nothing broadcast before the signal is lost to a client that was connected.
  const shortBy = new Map<number, string[]>();
  for (const r of received) {
    const last = base + r.texts.length - 1;
    if (last < drainedUpTo) shortBy.set(last, [...(shortBy.get(last) ?? []), r.name]);
  }
  t.deepEqual(
    [...shortBy].map(
      ([last, names]) => `${names.length} got only up to seq ${last}: ${names.join(', ')}`,
    ),
    [],
    `every client gets up to seq ${drainedUpTo}, which ${drainedBy.join(', ')} had received ` +
      'when SIGTERM was sent',
  );

  // The load was real, and went on through the shutdown.
  const counts = received.map((r) => r.texts.length);
  t.true(order.size >= 50, `${order.size} messages broadcast`);
  t.true(
    records.reduce((sum, r) => sum + r.sentAfterSignal, 0) > 0,
    'messages were sent after SIGTERM',
  );
  t.true(stillSendingAtExit.includes('post'), 'the server exited while a client was still sending');
  t.true(postStatuses.includes(204), `POST /send statuses ${postStatuses.join(',')}`);
  t.true(
    postStatuses.every((status) => [0, 204, 503].includes(status)),
    `POST /send statuses ${postStatuses.join(',')}`,
  );
  t.log(
    `${order.size} messages broadcast; per client ${Math.min(...counts)}..${Math.max(...counts)} ` +
      `(at SIGTERM some client had ${drainedUpTo - base + 1}, the TCP client ${inFlight} more than ` +
      `${probe.name}); exit ${exitMs} ms after SIGTERM; ` +
      `still sending at exit: ${stillSendingAtExit.join(', ')}; ` +
      `${records.reduce((sum, r) => sum + r.sentAfterSignal, 0)} sends after SIGTERM`,
  );
};

test.serial('SIGTERM under load: every client gets 1001 and nothing after, exit 0', (t) =>
  shutdownUnderLoad(t, { args: [], deflate: false }),
);

test.serial('SIGTERM under load with --batch-window-ms 0 and --permessage-deflate: the same', (t) =>
  shutdownUnderLoad(t, { args: ['--batch-window-ms', '0', '--permessage-deflate'], deflate: true }),
);
