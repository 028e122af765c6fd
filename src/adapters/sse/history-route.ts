import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hub } from '../../app/ports/transport.port.ts';
import type { HttpRoute } from '../kit/http-route.ts';
import { messageItem } from '../kit/message-item.ts';
import { SECURITY_HEADERS } from '../kit/security-headers.ts';
import { answerPlain } from './plain-answer.ts';
import { roomQueryOf } from './room-query.ts';

/** A page of history is at most this many messages, as on hubbub.v2. */
const MAX_PAGE = 1000;
const DEFAULT_PAGE = 50;

type HistoryQuery = Readonly<{ room: string; limit: number; before?: number }>;

const countOf = (value: string | null, fallback: number, max: number): number | undefined => {
  if (value === null) return fallback;
  if (!/^\d{1,16}$/.test(value)) return undefined;
  const count = Number(value);
  return count <= max ? count : undefined;
};

const historyQueryOf = (url: string | undefined): HistoryQuery | string => {
  const { params, room } = roomQueryOf(url);
  if (room === undefined) return 'bad ?room';
  const limit = countOf(params.get('limit'), DEFAULT_PAGE, MAX_PAGE);
  if (limit === undefined) return `bad ?limit (0-${MAX_PAGE})`;
  const before = countOf(params.get('before'), -1, Number.MAX_SAFE_INTEGER);
  if (before === undefined) return 'bad ?before (a seq)';
  return { room, limit, ...(before < 0 ? {} : { before }) };
};

/**
 * `GET /history?room=R&before=S&limit=N`: a page of older messages as the hubbub.v2 `history`
 * item, for clients without a WebSocket (the page's SSE fallback scrolling up).
 */
export class HistoryRoute implements HttpRoute {
  readonly method = 'GET';
  readonly path = '/history';

  constructor(private readonly hub: Pick<Hub, 'history'>) {}

  handle(request: IncomingMessage, response: ServerResponse): void {
    const query = historyQueryOf(request.url);
    if (typeof query === 'string') {
      answerPlain(response, 400, query);
      return;
    }
    this.hub.history(query.room, query.limit, query.before).then(
      (messages) => {
        const body = `{"type":"history","room":${JSON.stringify(query.room)},"messages":[${messages.map(messageItem).join(',')}]}`;
        response
          .writeHead(200, {
            ...SECURITY_HEADERS,
            'Content-Type': 'application/json',
            'Cache-Control': 'no-store',
          })
          .end(body);
      },
      () => answerPlain(response, 503, 'unavailable: history could not be read'),
    );
  }
}
