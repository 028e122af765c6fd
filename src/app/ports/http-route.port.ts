import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A plain HTTP endpoint a transport offers (e.g. Server-Sent Events' `GET /events`). The web
 * server mounts every bound route before its static files and hands a matching request over
 * whole: the route writes the response itself, for as long as it likes.
 */
export interface HttpRoute {
  readonly method: 'GET' | 'POST';
  /** The exact path, e.g. `/events`; no patterns. */
  readonly path: string;
  handle(request: IncomingMessage, response: ServerResponse): void;
}
