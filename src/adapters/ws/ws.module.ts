import { defineAdapter } from '../../app/adapter.ts';
import { TOKENS } from '../../app/tokens.ts';
import { KIT_TOKENS } from '../kit/kit.tokens.ts';
import { WS_SETTINGS, wsSettings } from './ws.settings.ts';
import { WsTransport } from './ws-transport.adapter.ts';

export const WS_TOKENS = { WsTransport: Symbol.for('hubbub.ws.WsTransport') } as const;

/** WebSocket clients on `/ws`, plain or `hubbub.v1`. */
export const wsAdapter = defineAdapter({
  name: 'ws',
  settings: wsSettings,
  settingsToken: WS_SETTINGS,
  bind: ({ bind }) => {
    bind(WS_TOKENS.WsTransport).to(WsTransport).inSingletonScope();
    bind(TOKENS.Transport).toService(WS_TOKENS.WsTransport);
    bind(KIT_TOKENS.UpgradeRoute)
      .toDynamicValue((context) => context.get<WsTransport>(WS_TOKENS.WsTransport).upgradeRoute)
      .inSingletonScope();
  },
});
