import { defineAdapter } from '../../app/adapter.ts';
import { Admission } from './admission.ts';
import { KIT_TOKENS } from './kit.tokens.ts';
import { KIT_SETTINGS, originSettings } from './origin.settings.ts';
import { TransportKit } from './transport-kit.ts';

/**
 * What every transport shares: one set of connection limits, the origin policy's settings
 * (`--allowed-origin`), and the kit's services.
 */
export const kitAdapter = defineAdapter({
  name: 'kit',
  settings: originSettings,
  settingsToken: KIT_SETTINGS,
  bind: ({ bind }) => {
    bind(KIT_TOKENS.Admission).to(Admission).inSingletonScope();
    bind(KIT_TOKENS.TransportKit).to(TransportKit).inSingletonScope();
  },
});
