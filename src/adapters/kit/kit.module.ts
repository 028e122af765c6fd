import { ContainerModule } from 'inversify';
import { defineAdapter } from '../../app/adapter.ts';
import { Admission } from './admission.ts';
import { KIT_TOKENS } from './kit.tokens.ts';

/** What every transport shares: one set of connection limits. */
export const kitAdapter = defineAdapter({
  name: 'kit',
  settings: {},
  module: () =>
    new ContainerModule(({ bind }) => {
      bind(KIT_TOKENS.Admission).to(Admission).inSingletonScope();
    }),
});
