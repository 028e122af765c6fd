import type { Logger } from '../../app/ports/logger.port.ts';

/**
 * Logs each connection's trouble once per outage (a Redis that is away would otherwise fill the
 * log with an error per attempt to reach it), and its return.
 */
export class OutageLog {
  private readonly down = new Set<string>();

  constructor(private readonly logger: Logger) {}

  failed(connection: string, error: Error): void {
    if (this.down.has(connection)) return;
    this.down.add(connection);
    this.logger.warn('redis unreachable', { connection, error: error.message });
  }

  back(connection: string): void {
    if (this.down.delete(connection)) this.logger.info('redis reachable again', { connection });
  }
}
