import { type Agent, type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http';
import { within } from './ws-client.ts';

/** An HTTP answer as the client saw it. */
export type HttpAnswer = Readonly<{ status: number; headers: IncomingHttpHeaders; body: string }>;

export type HttpAsk = Readonly<{
  method?: string;
  /** Exactly these headers: nothing is added but `Host` (and `Content-Length` with a body). */
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  /** A connection of its own unless an agent is given. */
  agent?: Agent | false;
}>;

/** One HTTP request; resolves with the status, the headers and the body as text. */
export const askHttp = (url: string, ask: HttpAsk = {}): Promise<HttpAnswer> => {
  const method = ask.method ?? 'GET';
  return within(
    new Promise<HttpAnswer>((resolve, reject) => {
      const outgoing = request(
        url,
        { method, agent: ask.agent ?? false, headers: ask.headers ?? {} },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(ask.body);
    }),
    `${method} ${url}`,
  );
};
