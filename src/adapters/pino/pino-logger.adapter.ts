import { inject, injectable } from 'inversify';
import { type DestinationStream, type Logger as Pino, pino } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { LogFields, Logger } from '../../app/ports/logger.port.ts';
import { PINO_SETTINGS, type PinoSettings } from './pino.settings.ts';

/**
 * JSON lines on stderr (stdout carries only the listening line), one object per event with
 * `time`, `level` and `msg`; readable text instead when stderr is a terminal.
 */
@injectable()
export class PinoLogger implements Logger {
  private readonly pino: Pino;

  constructor(@inject(PINO_SETTINGS) config: PinoSettings) {
    this.pino = pino(
      {
        level: config.logLevel,
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination(),
    );
  }

  debug(message: string, fields?: LogFields): void {
    this.pino.debug(fields, message);
  }
  info(message: string, fields?: LogFields): void {
    this.pino.info(fields, message);
  }
  warn(message: string, fields?: LogFields): void {
    this.pino.warn(fields, message);
  }
  error(message: string, fields?: LogFields): void {
    this.pino.error(fields, message);
  }
}

const destination = (): DestinationStream =>
  process.stderr.isTTY === true
    ? PinoPretty({
        destination: 2,
        sync: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
      })
    : pino.destination({ dest: 2, sync: true });
