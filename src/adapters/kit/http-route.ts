import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

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

/**
 * An upgrade endpoint a transport offers (WebSocket's `/ws`). The web server hands every
 * upgrade request for that exact path to it, socket and all; an upgrade on a path no route
 * claims gets 404. Several upgrade-based transports can so share one server.
 */
export interface UpgradeRoute {
  readonly path: string;
  handle(request: IncomingMessage, socket: Duplex, head: Buffer): void;
}
