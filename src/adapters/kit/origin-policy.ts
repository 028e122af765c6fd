/**
 * Decides whether a browser page's WebSocket upgrade or `POST /send` may proceed. Browsers
 * send Origin on both; other clients usually do not, and cannot be protected by it, so a
 * missing Origin is accepted. A present one must name the host the request was sent to, or be
 * listed in `allowed` (`*` allows any).
 */
export const isOriginAllowed = (
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean => {
  if (origin === undefined) return true;
  if (allowed.includes('*')) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (host !== undefined && url.host.toLowerCase() === host.toLowerCase()) return true;
  return url.origin !== 'null' && allowed.includes(url.origin);
};
