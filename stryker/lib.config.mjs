import { strykerRun } from './base.mjs';

/** src/lib (the persistent map behind the hub's connection table) against test/lib. */
export default strykerRun({
  name: 'lib',
  mutate: ['src/lib/**/*.ts'],
  command: 'node_modules/.bin/ava --fail-fast test/lib',
  breakAt: 95,
});
