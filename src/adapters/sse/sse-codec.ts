/** Server-Sent Events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
import type { RoomMessage } from '../../app/ports/engine.port.ts';

const LINE_BREAK = /\r\n|\r|\n/;

/** A message's event id: where a reconnect resumes (`Last-Event-ID`). */
export const eventId = (message: Pick<RoomMessage, 'epoch' | 'seq'>): string =>
  `${message.epoch}:${message.seq}`;

/**
 * One event: each line of `data` a `data:` line, so the client's EventSource joins them back
 * with `\n`. (A `\r` or `\r\n` in the text arrives as `\n`: SSE has no way to carry it.)
 */
export const encodeEvent = (
  fields: Readonly<{ id?: string; event?: string }>,
  data: string,
): string => {
  let event = fields.event === undefined ? '' : `event: ${fields.event}\n`;
  if (fields.id !== undefined) event += `id: ${fields.id}\n`;
  for (const line of data.split(LINE_BREAK)) event += `data: ${line}\n`;
  return `${event}\n`;
};

export const ServerEvent = {
  keepalive: ': keepalive\n\n',
  sendBufferFull: 'event: error\ndata: send buffer full\n\n',
  shuttingDown: 'event: bye\ndata: server shutting down\n\n',
} as const;

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
  Connection: 'keep-alive',
  // nginx buffers proxied responses unless told not to.
  'X-Accel-Buffering': 'no',
} as const;
