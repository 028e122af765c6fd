import { injectable } from 'inversify';
import type { LogFields, Logger } from '../../app/ports/logger.port.ts';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** One JSON object per line on stderr (stdout carries only the listening line). */
@injectable()
export class ConsoleLogger implements Logger {
  // Debug lines are dropped until a log-level setting exists.
  debug(_message: string, _fields?: LogFields): void {}
  info(message: string, fields?: LogFields): void {
    this.#write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.#write('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.#write('error', message, fields);
  }

  #write(level: Level, message: string, fields: LogFields | undefined): void {
    const line = { time: new Date().toISOString(), level, msg: message, ...fields };
    process.stderr.write(`${JSON.stringify(line)}\n`);
  }
}
