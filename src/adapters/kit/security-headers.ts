/**
 * On every HTTP answer, Koa's and the raw ones written on a socket alike. The page needs
 * nothing but its own origin; this keeps injected markup inert if a bug ever let message text
 * become HTML, and no answer may be framed or sniffed into another type.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
