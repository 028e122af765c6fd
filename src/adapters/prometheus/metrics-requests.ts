import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { endWithStatus } from '../kit/raw-http-answer.ts';
import { SECURITY_HEADERS } from '../kit/security-headers.ts';

export const METRICS_PATH = '/metrics';
const ALLOWED_METHODS = 'GET, HEAD';

/** The text format and its content type, rendered once and shared by every scrape. */
export type Exposition = Readonly<{ contentType: string; body: Buffer }>;

/** On every answer of the metrics listener. */
const HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'Cache-Control': 'no-store',
};

const answer = (
  response: ServerResponse,
  status: number,
  contentType: string,
  body: Buffer | string,
  extra: Readonly<Record<string, string>> = {},
): void => {
  response.writeHead(status, {
    ...HEADERS,
    ...extra,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
  });
  // Node sends no body to a HEAD request, but the same headers as to a GET.
  response.end(body);
};

const plain = (
  response: ServerResponse,
  status: number,
  text: string,
  extra?: Readonly<Record<string, string>>,
): void => answer(response, status, 'text/plain; charset=utf-8', `${text}\n`, extra);

/** The exposition, or 500 if rendering it failed. */
const serve = (
  response: ServerResponse,
  exposition: () => Promise<Exposition>,
  failed: (error: unknown) => void,
): void => {
  exposition().then(
    ({ contentType, body }) => answer(response, 200, contentType, body),
    (error: unknown) => {
      // A scrape that fails must not become an unhandled rejection (fatal in Node 20).
      failed(error);
      if (!response.headersSent) plain(response, 500, 'metrics failed');
      else response.destroy();
    },
  );
};

/**
 * The metrics listener's one route: GET or HEAD `/metrics` is the exposition (a query string
 * is ignored); any other path is 404, any other method on it 405. A rendering that fails is
 * reported through `failed` and answered 500, without its details.
 */
export const answerMetricsRequest =
  (exposition: () => Promise<Exposition>, failed: (error: unknown) => void) =>
  (request: IncomingMessage, response: ServerResponse): void => {
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== METRICS_PATH) {
      plain(response, 404, 'not found');
    } else if (request.method !== 'GET' && request.method !== 'HEAD') {
      plain(response, 405, 'method not allowed', { Allow: ALLOWED_METHODS });
    } else {
      serve(response, exposition, failed);
    }
  };

/**
 * Node's 'clientError': a request it could not parse gets 400, one that did not arrive in time
 * 408, with the same headers as every other answer; a client that is gone gets nothing.
 */
export const answerMetricsClientError = (error: NodeJS.ErrnoException, socket: Socket): void => {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    endWithStatus(socket, 408, 'request not completed in time', HEADERS);
  } else endWithStatus(socket, 400, 'bad request', HEADERS);
};
