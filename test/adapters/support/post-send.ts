import type { OutgoingHttpHeaders } from 'node:http';
import { askHttp, type HttpAnswer } from './http-ask.ts';

/** A `POST /send` answer as the client saw it. */
export type SendAnswer = HttpAnswer;

/**
 * `POST /send` with exactly `headers` (nothing is added but `Host` and `Content-Length`), as a
 * browser's cross-site form or a script might send it.
 */
export const postSend = (
  baseUrl: string,
  body: string | Buffer,
  headers: OutgoingHttpHeaders = {},
): Promise<SendAnswer> => askHttp(`${baseUrl}/send`, { method: 'POST', headers, body });

export const TEXT_PLAIN = { 'Content-Type': 'text/plain;charset=UTF-8' } as const;
