import { type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http';
import { within } from './ws-client.ts';

/** A `POST /send` answer as the client saw it. */
export type SendAnswer = Readonly<{ status: number; headers: IncomingHttpHeaders; body: string }>;

/**
 * `POST /send` with exactly `headers` (nothing is added but `Host` and `Content-Length`), as a
 * browser's cross-site form or a script might send it.
 */
export const postSend = (
  baseUrl: string,
  body: string | Buffer,
  headers: OutgoingHttpHeaders = {},
): Promise<SendAnswer> =>
  within(
    new Promise((resolve, reject) => {
      const outgoing = request(
        `${baseUrl}/send`,
        { method: 'POST', agent: false, headers },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    }),
    'POST /send',
  );

export const TEXT_PLAIN = { 'Content-Type': 'text/plain;charset=UTF-8' } as const;
