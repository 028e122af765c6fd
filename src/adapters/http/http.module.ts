import { ContainerModule } from 'inversify';
import { defineAdapter } from '../../app/adapter.ts';
import { TOKENS } from '../../app/tokens.ts';
import { HTTP_SETTINGS, httpSettings } from './http.settings.ts';
import { KoaWebServer } from './koa-web-server.adapter.ts';

/** The web server: Koa serves the page, health checks and the transports' routes. */
export const httpAdapter = defineAdapter({
  name: 'http',
  settings: httpSettings,
  module: (settings) =>
    new ContainerModule(({ bind }) => {
      bind(HTTP_SETTINGS).toConstantValue(settings);
      bind(TOKENS.WebServer).to(KoaWebServer).inSingletonScope();
    }),
});
