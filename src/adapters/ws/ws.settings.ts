import { boolean, type ValuesOf } from '../../app/config.ts';

export const wsSettings = {
  permessageDeflate: {
    flag: 'permessage-deflate',
    env: ['HUBBUB_PERMESSAGE_DEFLATE'],
    fallback: 'false',
    help: 'offer WebSocket compression (a switch; env: true/false); costs CPU, off by default',
    isSwitch: true,
    parse: boolean,
  },
} as const;

export type WsSettings = ValuesOf<typeof wsSettings>;

/** The core's settings with WebSocket's own, as the ws module binds them. */
export const WS_SETTINGS = Symbol.for('hubbub.ws.Settings');
