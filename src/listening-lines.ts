import type { Logger } from './app/ports/logger.port.ts';

/** The configured host as a URL shows it: a wildcard address as localhost, IPv6 in brackets. */
const shownHost = (host: string): string =>
  ['0.0.0.0', '::'].includes(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;

/** Where the service listens: the chat port, and the TCP and metrics ports when they are on. */
export type ListenerPorts = Readonly<{ port: number; tcpPort?: number; metricsPort?: number }>;

/**
 * Prints where the service listens on stdout, once, and logs it: the chat's address first (the
 * line supervisors and tests wait for), then the TCP and metrics listeners when they are on.
 */
export const announceListening = (
  settings: Readonly<{ host: string; metricsHost: string; workers: number }>,
  logger: Logger,
  { port, tcpPort, metricsPort }: ListenerPorts,
): void => {
  const host = shownHost(settings.host);
  const metricsUrl =
    metricsPort === undefined
      ? undefined
      : `http://${shownHost(settings.metricsHost)}:${metricsPort}/metrics`;
  process.stdout.write(`Hubbub listening on http://${host}:${port}\n`);
  if (tcpPort !== undefined) process.stdout.write(`Hubbub TCP lines on ${host}:${tcpPort}\n`);
  if (metricsUrl !== undefined) process.stdout.write(`Hubbub metrics on ${metricsUrl}\n`);
  logger.info('hubbub listening', {
    url: `http://${host}:${port}`,
    port,
    tcpPort,
    metricsUrl,
    metricsPort,
    workers: settings.workers,
  });
};
