import { defineAdapter } from '../../app/adapter.ts';
import { Admission } from './admission.ts';
import { KIT_TOKENS } from './kit.tokens.ts';
import { TransportKit } from './transport-kit.ts';

/** What every transport shares: one set of connection limits, and the kit's services. */
export const kitAdapter = defineAdapter({
  name: 'kit',
  bind: ({ bind }) => {
    bind(KIT_TOKENS.Admission).to(Admission).inSingletonScope();
    bind(KIT_TOKENS.TransportKit).to(TransportKit).inSingletonScope();
  },
});
