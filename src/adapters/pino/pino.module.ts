import { defineAdapter } from '../../app/adapter.ts';
import { TOKENS } from '../../app/tokens.ts';
import { PINO_SETTINGS, pinoSettings } from './pino.settings.ts';
import { PinoLogger } from './pino-logger.adapter.ts';

/** The logger: pino, JSON lines on stderr. */
export const pinoAdapter = defineAdapter({
  name: 'pino',
  settings: pinoSettings,
  settingsToken: PINO_SETTINGS,
  bind: ({ bind }) => bind(TOKENS.Logger).to(PinoLogger).inSingletonScope(),
});
