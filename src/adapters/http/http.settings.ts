import { DAY_MS, integer, type ValuesOf } from '../../app/config.ts';

export const httpSettings = {
  port: {
    flag: 'port',
    env: ['HUBBUB_PORT', 'PORT'],
    fallback: '8080',
    help: 'TCP port to listen on (0 picks a free one)',
    parse: integer(0, 65_535),
  },
  handshakeTimeoutMs: {
    flag: 'handshake-timeout-ms',
    env: ['HUBBUB_HANDSHAKE_TIMEOUT_MS'],
    fallback: '10000',
    help: 'a client that has not sent its whole HTTP request (or upgrade) by then is cut off',
    parse: integer(100, DAY_MS),
  },
} as const;

export type HttpSettings = ValuesOf<typeof httpSettings>;

/** The core's settings with the web server's own, as the http module binds them. */
export const HTTP_SETTINGS = Symbol.for('hubbub.http.Settings');
