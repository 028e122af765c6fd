import type { Middleware } from 'koa';

/**
 * Security headers on every answer, and the routes Koa answers itself: `/` takes only GET (405 otherwise, HEAD included, as in the original), and a plain GET
 * on `/ws` without an upgrade gets 426. Everything else falls through to the static files,
 * and from there to Koa's 404.
 */
export const httpRoutes = (): Middleware => async (ctx, next) => {
  // The page needs nothing but its own origin; this keeps injected markup inert if a bug ever
  // let message text become HTML.
  ctx.set(
    'Content-Security-Policy',
    "default-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  );
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'no-referrer');
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
