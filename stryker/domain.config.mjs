import { strykerRun } from './base.mjs';

/** src/domain, the pure core, against its own tests only (given/when/then, invariants, model). */
export default strykerRun({
  name: 'domain',
  mutate: ['src/domain/**/*.ts'],
  command: 'node_modules/.bin/ava --fail-fast test/domain',
  breakAt: 97,
});
