import { defineAdapter } from '../../app/adapter.ts';
import { TOKENS } from '../../app/tokens.ts';
import { SystemClock } from './system-clock.adapter.ts';

/** The system clock. */
export const systemAdapter = defineAdapter({
  name: 'system',
  bind: ({ bind }) => bind(TOKENS.Clock).to(SystemClock).inSingletonScope(),
});
