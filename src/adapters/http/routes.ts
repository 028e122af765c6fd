import type { Middleware } from 'koa';
import type { HttpRoute } from '../kit/http-route.ts';
import { SECURITY_HEADERS } from '../kit/security-headers.ts';

/**
 * `GET /healthz`: the process is alive and serving HTTP (200). `GET /readyz`: it accepts new
 * connections (200), or not (503, `full`, `shutting down`, or `store unavailable` while the
 * shared store cannot be reached): load balancers stop sending clients.
 */
export type Readiness = 'ready' | 'full' | 'shutting down' | 'store unavailable';

export const healthRoutes =
  (readiness: () => Readiness): Middleware =>
  async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/healthz') {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = 'ok';
      return;
    }
    if (ctx.path === '/readyz') {
      const state = readiness();
      ctx.set('Cache-Control', 'no-store');
      ctx.status = state === 'ready' ? 200 : 503;
      ctx.body = state;
      return;
    }
    return next();
  };

/**
 * The security headers on every answer Koa gives, the health checks' included. Koa clears the
 * headers of an answer to a thrown error and sets the error's own, so they go there too.
 */
export const securityHeaders = (): Middleware => async (ctx, next) => {
  ctx.set({ ...SECURITY_HEADERS });
  try {
    await next();
  } catch (error) {
    if (typeof error === 'object' && error !== null) {
      const withHeaders = error as { headers?: Record<string, string> };
      withHeaders.headers = { ...SECURITY_HEADERS, ...withHeaders.headers };
    }
    throw error;
  }
};

/**
 * The routes Koa answers itself: `/` takes only GET (405 otherwise, HEAD included, as in the
 * original), and a plain GET on `/ws` without an upgrade gets 426. Everything else falls
 * through to the static files, and from there to Koa's 404.
 */
export const httpRoutes = (): Middleware => async (ctx, next) => {
  if (ctx.path === '/' && ctx.method !== 'GET') {
    ctx.set('Allow', 'GET');
    ctx.status = 405;
    ctx.body = 'Method Not Allowed';
    return;
  }
  if (ctx.path === '/ws') {
    ctx.set('Upgrade', 'websocket');
    ctx.status = 426;
    ctx.body = 'Upgrade Required: connect with a WebSocket client';
    return;
  }
  await next();
};

/**
 * Hands a request on a transport's route over to it: Koa steps aside (`respond = false`) and
 * the route writes the response. A known path with another method is 405 with `Allow`.
 */
export const mountRoutes = (routes: readonly HttpRoute[]): Middleware => {
  const byPath = new Map<string, HttpRoute[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  return async (ctx, next) => {
    const candidates = byPath.get(ctx.path);
    if (candidates === undefined) return next();
    const route = candidates.find((candidate) => candidate.method === ctx.method);
    if (route === undefined) {
      ctx.set('Allow', candidates.map((candidate) => candidate.method).join(', '));
      ctx.status = 405;
      ctx.body = 'Method Not Allowed';
      return;
    }
    ctx.respond = false;
    route.handle(ctx.req, ctx.res);
  };
};
