import type { LogFields, Logger } from '../app/ports/logger.port.ts';

/** `logger`, with `fields` on every line: each worker's lines say which worker wrote them. */
export const withFields = (logger: Logger, fields: LogFields): Logger => ({
  debug: (message, more) => logger.debug(message, { ...fields, ...more }),
  info: (message, more) => logger.info(message, { ...fields, ...more }),
  warn: (message, more) => logger.warn(message, { ...fields, ...more }),
  error: (message, more) => logger.error(message, { ...fields, ...more }),
});
