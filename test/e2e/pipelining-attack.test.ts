import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import test from 'ava';
import { sleep, waitUntil } from '../adapters/support/ws-client.ts';
import { startHubbub } from './support/hubbub-process.ts';

// Issue 11, finding 1: keep-alive sockets that pipeline megabytes of requests and never read
// their answers used to make the server deaf for tens of seconds and grow it by hundreds of
// megabytes. Each socket may now hold only a few unanswered requests, so the server stays
// responsive and small while they try.

const ATTACKERS = 8;
const BYTES_EACH = 4 * 1024 * 1024;
/** The attack lasts at most this long (bounded); the probes run throughout it. */
const ATTACK_MS = 6_000;
/** A health check slower than this counts as the server being deaf. */
const DEAF_AFTER_MS = 1_000;

const rssKb = (pid: number): number => {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
};

/** `GET /healthz` from another address; resolves with the status, or 0 past `DEAF_AFTER_MS`. */
const probe = (port: number): Promise<number> =>
  new Promise((resolve) => {
    const request = get(
      { host: '127.0.0.1', port, path: '/healthz', agent: false, localAddress: '127.0.0.2' },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.setTimeout(DEAF_AFTER_MS, () => {
      request.destroy();
      resolve(0);
    });
    request.on('error', () => resolve(0));
  });

/** A socket that writes `BYTES_EACH` of pipelined `GET /` and never reads an answer. */
const attack = (port: number): { socket: Socket; done: Promise<void> } => {
  const socket = connect(port, '127.0.0.1');
  socket.pause();
  socket.on('error', () => {});
  const request = Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  const chunk = Buffer.concat(Array.from({ length: 1024 }, () => request));
  const done = new Promise<void>((resolve) => {
    let written = 0;
    const writeMore = (): void => {
      while (written < BYTES_EACH && !socket.destroyed) {
        written += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', writeMore);
          return;
        }
      }
      resolve();
    };
    socket.once('connect', writeMore);
    socket.once('close', () => resolve());
  });
  return { socket, done };
};

test('pipelining sockets that never read leave /healthz answering within 1 s and RSS growing under 100 MB', async (t) => {
  const { hubbub, port } = await startHubbub();
  t.teardown(() => hubbub.kill());
  const pid = hubbub.child.pid;
  if (pid === undefined) return t.fail('no server pid');
  const rssBefore = rssKb(pid);

  const attackers = Array.from({ length: ATTACKERS }, () => attack(port));
  t.teardown(() => {
    for (const { socket } of attackers) socket.destroy();
  });
  const allWritten = Promise.all(attackers.map(({ done }) => done));
  let finished = false;
  void allWritten.then(() => {
    finished = true;
  });

  const started = Date.now();
  const statuses: number[] = [];
  let rssPeak = rssBefore;
  // Probes for the whole attack, and a second beyond it.
  while (Date.now() - started < ATTACK_MS && !(finished && statuses.length >= 10)) {
    statuses.push(await probe(port));
    rssPeak = Math.max(rssPeak, rssKb(pid));
    await sleep(100);
  }
  for (let i = 0; i < 5; i++) {
    statuses.push(await probe(port));
    rssPeak = Math.max(rssPeak, rssKb(pid));
  }

  t.log(
    `${statuses.length} probes; RSS ${Math.round(rssBefore / 1024)} MB before, peak ${Math.round(rssPeak / 1024)} MB`,
  );
  t.deepEqual(
    statuses.filter((status) => status !== 200),
    [],
    'every health check answered 200 within 1 s',
  );
  t.true(
    rssPeak - rssBefore < 100 * 1024,
    `RSS grew ${Math.round((rssPeak - rssBefore) / 1024)} MB`,
  );
  // The server cut each of them (a reset: it had unread requests from them).
  await waitUntil(
    () => attackers.every(({ socket }) => socket.destroyed),
    'the server to cut every pipelining socket',
  );
  t.regex(hubbub.stderr, /pipelining_limit/, 'the refusals are logged');
});
