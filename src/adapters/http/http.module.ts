import { defineAdapter } from '../../app/adapter.ts';
import { TOKENS } from '../../app/tokens.ts';
import { HTTP_SETTINGS, httpSettings } from './http.settings.ts';
import { KoaWebServer } from './koa-web-server.adapter.ts';

/** The web server: Koa serves the page, health checks and the transports' routes. */
export const httpAdapter = defineAdapter({
  name: 'http',
  settings: httpSettings,
  settingsToken: HTTP_SETTINGS,
  bind: ({ bind }) => bind(TOKENS.WebServer).to(KoaWebServer).inSingletonScope(),
});
