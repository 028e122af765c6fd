import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Requests one socket may have waiting for their answers (HTTP/1.1 pipelining). */
export const MAX_PIPELINED = 16;
/** Answer bytes one socket may leave unread before it sends another request. */
export const MAX_UNREAD_BYTES = 64 * 1024;

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Stops Node's parser of `socket` at the next request. Node turns every request in a chunk it
 * has read (64 KiB: thousands of small ones) into request objects before looking at the socket
 * again, even once it is destroyed; the parser asks `onIncoming` what to do after each
 * request's headers, and 2 (the answer it gives itself for an upgrade) stops it there. Not a
 * documented interface: without it, the limit still holds, at the cost of the rest of a chunk.
 */
const stopParsing = (socket: Socket): void => {
  const parser = (socket as Socket & { parser?: { onIncoming?: unknown } | null }).parser;
  if (parser && typeof parser.onIncoming === 'function') parser.onIncoming = () => 2;
};

/**
 * Bounds what one socket can make the server hold by pipelining: Node parses every request in
 * a chunk it has read and queues an answer for each, so a client that sends megabytes of
 * requests and never reads would have the server render and hold an answer for all of them.
 * Past `MAX_PIPELINED` unanswered requests, or when a new request arrives while more than
 * `MAX_UNREAD_BYTES` of earlier answers are unread, the socket is refused (`refuse`) and
 * destroyed; requests already parsed from it are dropped unanswered. Browsers never pipeline,
 * so none of them meets this.
 */
export const limitPipelining = (handle: Handler, refuse: (socket: Socket) => void): Handler => {
  const waiting = new WeakMap<Socket, number>();
  return (request, response) => {
    const socket = request.socket;
    if (socket.destroyed) return;
    const count = (waiting.get(socket) ?? 0) + 1;
    if (count > MAX_PIPELINED || socket.writableLength > MAX_UNREAD_BYTES) {
      refuse(socket);
      stopParsing(socket);
      socket.destroy();
      return;
    }
    waiting.set(socket, count);
    response.once('close', () => waiting.set(socket, (waiting.get(socket) ?? 1) - 1));
    handle(request, response);
  };
};
