import { LOG_LEVELS, logLevel, type ValuesOf } from '../../app/config.ts';

export const pinoSettings = {
  logLevel: {
    flag: 'log-level',
    env: ['HUBBUB_LOG_LEVEL'],
    fallback: 'info',
    help: `least severe log lines written: ${LOG_LEVELS.join(', ')}`,
    parse: logLevel,
  },
} as const;

export type PinoSettings = ValuesOf<typeof pinoSettings>;

/** `--log-level`, as the pino module binds it. */
export const PINO_SETTINGS = Symbol.for('hubbub.pino.Settings');
