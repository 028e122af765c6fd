import { origins, type ValuesOf } from '../../app/config.ts';

/**
 * The origin policy's settings: which browser origins besides the server's own may reach the
 * transports over HTTP (WebSocket's `/ws` upgrade, `POST /send`). Declared by the kit, which
 * both use.
 */
export const originSettings = {
  allowedOrigins: {
    flag: 'allowed-origin',
    env: ['HUBBUB_ALLOWED_ORIGINS'],
    fallback: '',
    fallbackText: 'same origin only',
    help: 'extra browser origin allowed to connect and post (repeatable; env: comma-separated; * for any)',
    repeatable: true,
    parse: origins,
  },
} as const;

export type OriginSettings = ValuesOf<typeof originSettings>;

/** The core's settings with the kit's own (the origin policy), as the kit module binds them. */
export const KIT_SETTINGS = Symbol.for('hubbub.kit.Settings');
