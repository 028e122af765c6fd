// docs/reliability.md from a run (`npm run soak -- --write`). Whatever follows the KEEP marker
// in an existing file (notes written by hand) is carried over into the new one.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FLOOD_MS, PASTERS } from './load.ts';
import { heading, markdownTable, tables } from './report.ts';
import { SETTINGS, type SoakResult, WARM_UP_SHARE } from './soak.ts';
import { memoryDelta, passed } from './verdict.ts';

export const RELIABILITY_PATH = fileURLToPath(
  new URL('../../docs/reliability.md', import.meta.url),
);
const KEEP = '<!-- Written by hand below this line: `npm run soak -- --write` keeps it. -->';

const mibText = (kb: number): string => `${(kb / 1024).toFixed(1)} MiB`;
const signedMib = (kb: number): string => `${kb >= 0 ? '+' : ''}${mibText(kb)}`;

const keptNotes = (): string => {
  if (!existsSync(RELIABILITY_PATH)) return '';
  const text = readFileSync(RELIABILITY_PATH, 'utf8');
  const at = text.indexOf(KEEP);
  return at < 0 ? '' : text.slice(at + KEEP.length).trim();
};

/** Connections opened after the reading the end is compared with: what a leak would scale with. */
const openedAfterWarmUp = (result: SoakResult): number => {
  let opened = 0;
  for (const counts of result.tally.connections.values()) opened += counts.opened;
  return opened - result.openedInWarmUp;
};

export const markdown = (result: SoakResult, notes: string): string => {
  const s = SETTINGS;
  const figures = tables(result)
    .map((table) => `### ${table.title}\n\n${markdownTable(table)}`)
    .join('\n\n');
  const memory = result.checks.filter((c) => /^(RSS|heap)/.test(c.name));
  const delta = memoryDelta(result);
  const opened = Math.max(1, openedAfterWarmUp(result));
  const perConnection = (marginKb: number | undefined): string =>
    marginKb === undefined ? '?' : (marginKb / opened).toFixed(0);
  return `# Reliability

Clients that vanish mid-write, half-open TCP connections (no FIN, no pong) and resets during the
handshake must not leak. \`npm run soak\` checks that: a bounded soak of the real server on
loopback that churns connections and messages, misbehaving clients mixed in, and compares what
both sides counted and the server's memory. This file is rewritten by \`npm run soak -- --write\`;
the figures below are from the run of ${result.startedAt}.

## How to run

\`\`\`sh
npm run soak                              # 60 s of load (about 75 s in all); exit 1 if a check fails
npm run soak -- --seed 1234               # an earlier run's random choices, as far as timing allows
npm run soak -- --duration-s 600 --clients 80   # longer and busier: finds slower leaks
npm run soak -- --write                   # also rewrites docs/reliability.md from the run
npm run soak -- --no-memory               # no memory readings, no pause after the warm-up
BENCH_HUBBUB_DIR=../other-checkout npm run soak  # the server of another checkout
npx ava test/soak/                        # a short soak (12 s) as a test: counts only, no memory
\`\`\`

Loopback only (127.0.0.1). Every client, loop and wait is bounded in count and time; the seed
is printed so a failing run can be repeated.

## What it does

The server runs as a child process (\`node --expose-gc --import=tsx
--import=./bench/gc-on-signal.mjs src/main.ts\`, SIGUSR2 forces a full GC) with short deadlines,
so the keepalive finds half-open clients within the run: \`--ping-interval-ms ${s.pingIntervalMs}
--pong-timeout-ms ${s.pongTimeoutMs} --write-timeout-ms ${s.writeTimeoutMs}\`, a small
\`--send-buffer ${s.sendBuffer}\`, \`--max-message-bytes ${s.maxMessageBytes}\` (pasted logs, below) and
\`--handshake-timeout-ms ${s.handshakeTimeoutMs}\` when the server has that setting. The TCP line
protocol is on.

- **Chat clients**: \`--clients\` (40) at once, each staying 2 to 14 s: plain WebSocket (45%),
  \`hubbub.v1\` (30%), TCP lines (13%) and SSE with \`POST /send\` (12%). They chat like people:
  short lines about every 1.2 s, now and then a paragraph or a few lines in a row, never more
  than 7 messages a second (the rate limit is 20), and leave normally.
- **Floods**: every 15 s for ${FLOOD_MS / 1000} s, ${PASTERS} more clients paste logs of 10 to 16 KB, 10 a second each. A
  reader that stops reading is evicted only once the kernel's buffers for its socket are full
  (the server's send buffer on loopback grows to \`net.ipv4.tcp_wmem\`'s maximum, 4 MiB by
  default) and then \`--send-buffer\` more broadcasts are pending; chat lines alone would take
  minutes to get there.
- **Slow readers** (2 WebSocket, 1 TCP per flood) stop reading when a flood starts and keep
  sending a line every second or so; a second after the flood they read again to learn how
  they ended: close 1008 \`send buffer full\` if they read again within \`--write-timeout-ms\` of
  the eviction, otherwise the socket is cut (the server gives the close handshake the write
  deadline) and they see no close frame. Either way the server must let go of the socket.
- **Vanishing clients** (up to 3 at once) chat, then send a few messages and, in the same turn,
  reset the connection (RST) or destroy the socket while the server is writing the broadcasts
  back; some first stop reading so that unread data is pending.
- **Half-open clients** (up to 3 at once, not near a flood) complete the handshake, then stop
  reading and never write again: no pong, no FIN. The keepalive must drop them within the pong
  timeout (plus 2 s for the sweep).
- **Handshake resets** (about 1.5 a second): connect and reset at once, or after part of the
  upgrade request (RST or FIN), or right after the whole request.
- **Stalled handshakes** (up to 2 at once, when \`--handshake-timeout-ms\` exists): most of the
  upgrade request, then silence; the server must cut them within the timeout (plus 3 s).
- After each misbehaving client has ended its side, the server must have let go of its own
  side within a deadline; that is read from \`/proc/PID/net/tcp\` (the server's sockets on its
  ports that still have an owner), so a connection the server forgot to count is seen too.

**No lost messages.** An auditor (a plain WebSocket client) reads the whole run. Every chat client
says hello when it joins and bye before it leaves, and records what it received from its own
hello to its own bye; that must be exactly the auditor's stream between the two (every client
sees the hub's one order), and every message it sent must be in the auditor's stream. Evictions
and resets of others do not change that slice, so the check holds whatever they do.

**Phases and memory.** The first ${WARM_UP_SHARE * 100}% of the load is a warm-up with every kind of client
(a flood included when it is long enough); then the load drains (every soak client ends; only the
auditor stays) and the server's memory is read: RSS (\`VmRSS\`) after SIGUSR2 forced a GC and
the readings settled. It is read the same way before the load (start), halfway through
(under load) and at the end, after every client has ended and the server holds no connection.

## Pass or fail

The run exits 1 if any of these fails:

- the server stayed up, and exited 0 on SIGTERM at the end;
- after every client ended, the server holds no client connection (\`/proc\`) and, when it serves
  \`GET /metrics\`, \`hubbub_connections\` is 0 and connections opened equal connections closed;
- every client connection ended on the client side within the drain deadline;
- no chat client lost a message (above), and none was disconnected by the server;
- every misbehaving client ended as expected (half-open dropped in time, stalled handshakes cut,
  every reset or vanished connection let go by the server);
- a fresh client can still chat at the end;
- **memory**, the end reading against the one after warm-up (both at rest, after a forced GC,
  so they compare like with like):
  - RSS may exceed it by at most **max(10%, 8 MiB)**. RSS keeps what V8 and malloc do not hand
    back: the warm-up ends with a flood, and readings at rest move by several MiB from one to
    the next (this run: ${delta === undefined ? 'not measured' : `${signedMib(delta.rssKb)}, margin ${mibText(delta.rssMarginKb)}`}).
  - the V8 heap in use (\`nodejs_heap_size_used_bytes\`, when the server has \`/metrics\`) by at
    most **max(10%, 2 MiB)**: after a full GC it moves by a few hundred KiB at most.
  - no more open descriptors than after warm-up (when the auditor still held one): a socket
    the server never closed shows here even once its TCP connection is gone from \`/proc\`.

  A leak grows with connections or messages: ${opened.toLocaleString('en-US')} connections opened after the warm-up in
  this run, so a leak of about ${perConnection(delta?.heap === undefined ? undefined : delta.heap.marginBytes / 1024)} KiB of heap (${perConnection(delta?.rssMarginKb)} KiB of RSS) per connection or more fails
  it. Run longer (\`--duration-s 600\`) to catch smaller ones.

Lines the server logs at error level are reported as a warning (WARN), which fails nothing.

## The run of ${result.startedAt}: ${passed(result.checks) ? 'passed' : 'FAILED'}

${heading(result)
  .map((line) => `- ${line.replace(/^server: (.*)$/, 'server: `$1`')}`)
  .join('\n')}
${memory.map((c) => `- ${c.name}: ${c.detail}`).join('\n')}

${figures}

${KEEP}
${notes === '' ? '' : `\n${notes}\n`}`;
};

export const writeReliabilityDoc = (result: SoakResult): void => {
  writeFileSync(RELIABILITY_PATH, markdown(result, keptNotes()));
};
