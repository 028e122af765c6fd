import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '../kit/security-headers.ts';

/** A short text answer with the security headers; nothing if an answer has begun already. */
export const answerPlain = (
  response: ServerResponse,
  status: number,
  text: string,
  close = false,
): void => {
  if (response.headersSent) return;
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    ...(close ? { Connection: 'close' } : {}),
  });
  response.end(text);
};
