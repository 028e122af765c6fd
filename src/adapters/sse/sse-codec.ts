/** Server-Sent Events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html). */

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * One broadcast as one event: `id:` is its sequence number, and each line of the text is a
 * `data:` line, so the client's EventSource joins them back with `\n`. (A `\r` or `\r\n` in the
 * text arrives as `\n`: SSE has no way to carry it.)
 */
export const encodeEvent = (seq: number, text: string): string => {
  let event = `id: ${seq}\n`;
  for (const line of text.split(LINE_BREAK)) event += `data: ${line}\n`;
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
