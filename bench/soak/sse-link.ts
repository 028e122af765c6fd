// A Server-Sent Events client as the page uses it when WebSocket is blocked: `GET /events` to
// receive, `POST /send` to send, one post at a time so messages keep their order.
import { type IncomingMessage, request } from 'node:http';
import type { Link, LinkEnd, LinkOptions } from './link.ts';

const POST_TIMEOUT_MS = 5_000;
/**
 * POST /send is limited per client address, and every soak client is 127.0.0.1: all SSE
 * clients together stay under this many posts a second (the server's default limit is 20).
 */
const POSTS_PER_SECOND = 8;
let nextPostAt = 0;

const postSlot = async (): Promise<void> => {
  const now = performance.now();
  const at = Math.max(now, nextPostAt);
  nextPostAt = at + 1_000 / POSTS_PER_SECOND;
  if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
};

const post = (port: number, text: string): Promise<number> =>
  new Promise((resolve) => {
    const body = Buffer.from(text);
    const sending = request(
      {
        host: '127.0.0.1',
        port,
        path: '/send',
        method: 'POST',
        agent: false,
        timeout: POST_TIMEOUT_MS,
        headers: {
          'Content-Type': 'text/plain; charset=utf-8',
          'Content-Length': body.length,
          Connection: 'close',
        },
      },
      (answer) => {
        answer.resume();
        resolve(answer.statusCode ?? 0);
      },
    );
    sending.on('timeout', () => sending.destroy());
    sending.on('error', () => resolve(0));
    sending.end(body);
  });

export const sseLink = (options: LinkOptions): Link => {
  const { target, kind, tally, onText } = options;
  let isOpen = false;
  let leaving = false;
  let serverSaid = '';
  let posting = Promise.resolve();
  const get = request({
    host: '127.0.0.1',
    port: target.port,
    path: '/events',
    agent: false,
    headers: { Accept: 'text/event-stream' },
  });
  get.on('error', () => {});
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    get.once('response', resolve);
    get.once('close', () => reject(new Error('closed before it opened')));
  });
  const opened = response.then((answer) => {
    if (answer.statusCode !== 200) {
      answer.resume();
      throw new Error(`GET /events answered ${answer.statusCode}`);
    }
    isOpen = true;
    tally.opened(kind);
    readEvents(answer, onText, (said) => {
      serverSaid = said;
    });
  });
  opened.catch(() => {});
  const ended = new Promise<LinkEnd>((resolve) => {
    get.once('close', () => {
      if (isOpen) tally.closed(kind);
      else tally.failed(kind);
      resolve({ code: 'sse', reason: serverSaid, byServer: !leaving });
    });
  });
  get.end();
  return {
    opened,
    ended,
    send: (text) => {
      posting = posting.then(async () => {
        if (leaving) return;
        await postSlot();
        const status = await post(target.port, text);
        if (status !== 204) tally.outcome(kind, `POST /send answered ${status}`);
      });
    },
    leave: () => {
      leaving = true;
      get.destroy();
    },
    destroy: () => {
      leaving = true;
      get.destroy();
    },
  };
};

/** Parses the event stream: `message` events to `onText`, `bye` and `error` as the last word. */
const readEvents = (
  answer: IncomingMessage,
  onText: LinkOptions['onText'],
  onEnd: (said: string) => void,
): void => {
  let partial = '';
  let id: number | undefined;
  let event = 'message';
  let data: string[] = [];
  answer.setEncoding('utf8');
  answer.on('error', () => {});
  answer.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) {
          if (event === 'message') onText(data.join('\n'), id);
          else onEnd(`${event}: ${data.join(' ')}`);
        }
        id = undefined;
        event = 'message';
        data = [];
      } else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      // `id: <epoch>:<seq>`: the seq is after the last colon.
      else if (line.startsWith('id:')) id = Number(line.slice(line.lastIndexOf(':') + 1).trim());
      else if (line.startsWith('event:')) event = line.slice(6).trim();
    }
  });
};
