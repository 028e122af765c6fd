import { integer, optional, type ValuesOf } from '../../app/config.ts';

export const tcpSettings = {
  /** The line protocol's port; empty (the default) is off. */
  tcpPort: {
    flag: 'tcp-port',
    env: ['HUBBUB_TCP_PORT'],
    fallback: '',
    fallbackText: 'off',
    help: 'TCP port for the line protocol, one message per line (0 picks a free one; empty: off)',
    parse: optional(integer(0, 65_535)),
  },
} as const;

export type TcpSettings = ValuesOf<typeof tcpSettings>;

/** The core's settings with the TCP transport's own, as the tcp module binds them. */
export const TCP_SETTINGS = Symbol.for('hubbub.tcp.Settings');
