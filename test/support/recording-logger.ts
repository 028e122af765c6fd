import type { LogFields, Logger } from '../../src/app/ports/logger.port.ts';

export type LogLine = Readonly<{ level: string; message: string; fields: LogFields }>;

/** Keeps log lines in memory so tests stay quiet and can assert on what was logged. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];
  debug(message: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'debug', message, fields });
  }
  info(message: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'error', message, fields });
  }
}
