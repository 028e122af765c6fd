import type { IncomingHttpHeaders } from 'node:http';
import type { RejectionReason } from '../../app/ports/metrics.port.ts';
import { isOriginAllowed } from '../kit/origin-policy.ts';

/** Why a `POST /send` is refused before its body is read: the answer, and what is counted. */
export type SendRefusal = Readonly<{
  status: 403 | 415;
  text: string;
  reason: RejectionReason;
}>;

export const SendAnswer = {
  crossSite: 'cross-site request refused',
  unsupportedType: 'unsupported media type: expected text/plain (UTF-8)',
  notUtf8: 'message is not valid UTF-8',
  tooLarge: 'message too large',
} as const;

/** `Sec-Fetch-Site` values naming another origin than the server's own. */
const OTHER_ORIGIN_SITES = new Set(['cross-site', 'same-site']);

/**
 * Whether a browser sent this request from a page of another origin. A present `Origin` must
 * pass the same policy as `/ws` (`Origin: null` fails it unless `*` is allowed); without one,
 * `Sec-Fetch-Site` saying another site (or another origin of this site) fails. A request with
 * neither comes from no browser page (curl, a script) and passes, as on `/ws`.
 */
export const isCrossSite = (
  headers: IncomingHttpHeaders,
  allowedOrigins: readonly string[],
): boolean => {
  const { origin, host } = headers;
  if (origin !== undefined) return !isOriginAllowed(origin, host, allowedOrigins);
  const site = headers['sec-fetch-site'];
  return site !== undefined && OTHER_ORIGIN_SITES.has(site.trim().toLowerCase());
};

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** The unquoted value of a media type parameter (`"utf-8"` or `utf-8`). */
const unquoted = (value: string): string =>
  value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1).replace(/\\(.)/g, '$1')
    : value;

/**
 * Whether `contentType` is `text/plain` in UTF-8: parameters are allowed, but a `charset`
 * must be `utf-8` (any case). The form types a page can post cross-site without a preflight
 * (`application/x-www-form-urlencoded`, `multipart/form-data`) are not text/plain.
 */
export const isTextPlainUtf8 = (contentType: string | undefined): boolean => {
  if (contentType === undefined) return false;
  const [type = '', ...parameters] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'text/plain') return false;
  for (const parameter of parameters) {
    const equals = parameter.indexOf('=');
    const name = (equals === -1 ? parameter : parameter.slice(0, equals)).trim().toLowerCase();
    if (name === '' && equals === -1) continue; // `text/plain;` (an empty parameter)
    if (!TOKEN.test(name)) return false;
    if (name !== 'charset') continue;
    const value = unquoted(parameter.slice(equals + 1).trim());
    if (value.toLowerCase() !== 'utf-8') return false;
  }
  return true;
};

/** The refusal of a `POST /send` by its headers: cross-site first (403), then its type (415). */
export const refusalOfSend = (
  headers: IncomingHttpHeaders,
  allowedOrigins: readonly string[],
): SendRefusal | undefined => {
  if (isCrossSite(headers, allowedOrigins)) {
    return { status: 403, text: SendAnswer.crossSite, reason: 'origin_not_allowed' };
  }
  if (!isTextPlainUtf8(headers['content-type'])) {
    return { status: 415, text: SendAnswer.unsupportedType, reason: 'bad_request' };
  }
  return undefined;
};
