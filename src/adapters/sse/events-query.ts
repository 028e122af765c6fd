import type { IncomingMessage } from 'node:http';
import { isUserName, type RoomName, type RoomPosition } from '../../domain/rooms/index.ts';
import { roomQueryOf } from './room-query.ts';

/** The longest history a stream may ask for, as a `history` page of hubbub.v2. */
export const MAX_STREAM_HISTORY = 1000;

/** What a `GET /events` asks for (docs/protocol.md, Server-Sent Events). */
export type EventsQuery = Readonly<{
  room: RoomName;
  name?: string;
  since?: RoomPosition;
  history: number;
  /** `text`: each event's data is the message's text; `v2`: the hubbub.v2 item, and presence. */
  format: 'text' | 'v2';
}>;

/** `<epoch>:<seq>`, an event id of this server; `undefined` for anything else. */
export const positionOf = (id: string): RoomPosition | undefined => {
  const colon = id.lastIndexOf(':');
  const seqText = id.slice(colon + 1);
  if (colon < 1 || !/^(0|[1-9]\d{0,15})$/.test(seqText)) return undefined;
  return { epoch: id.slice(0, colon), seq: Number(seqText) };
};

const historyOf = (value: string | null): number | undefined => {
  if (value === null) return 0;
  if (!/^\d{1,4}$/.test(value)) return undefined;
  const count = Number(value);
  return count <= MAX_STREAM_HISTORY ? count : undefined;
};

/**
 * Reads `?room`, `?name`, `?history`, `?format` and the resume point: `Last-Event-ID` (sent by
 * EventSource itself on a reconnect) wins over `?since`, which stays in the URL and goes
 * stale. Returns the first thing wrong, in words, for a 400.
 */
export const eventsQueryOf = (request: IncomingMessage): EventsQuery | string => {
  const { params, room } = roomQueryOf(request.url);
  if (room === undefined) return 'bad ?room';
  const name = params.get('name');
  if (name !== null && !isUserName(name))
    return 'bad ?name (1-32 characters, no control characters)';
  const history = historyOf(params.get('history'));
  if (history === undefined) return `bad ?history (0-${MAX_STREAM_HISTORY})`;
  const format = params.get('format') ?? 'text';
  if (format !== 'text' && format !== 'v2') return 'bad ?format (text or v2)';
  const lastEventId = request.headers['last-event-id'];
  const sinceParam = params.get('since');
  let since: RoomPosition | undefined;
  if (typeof lastEventId === 'string') {
    // Set by the browser, not the page (an id of an older server): not recovered, never refused.
    since = positionOf(lastEventId) ?? { epoch: '', seq: 0 };
  } else if (sinceParam !== null) {
    since = positionOf(sinceParam);
    if (since === undefined) return 'bad ?since (epoch:seq)';
  }
  return {
    room,
    history,
    format,
    ...(name === null ? {} : { name }),
    ...(since === undefined ? {} : { since }),
  };
};
