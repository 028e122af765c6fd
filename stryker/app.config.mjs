import { strykerRun } from './base.mjs';

/**
 * src/app, the use cases, against the tests that exercise it in-process: test/app (hub service,
 * connection journal, settings, the model-based test on the memory transport) and the transport
 * contract on the memory transport. No socket test runs here.
 */
export default strykerRun({
  name: 'app',
  mutate: ['src/app/**/*.ts'],
  command: 'node_modules/.bin/ava --fail-fast test/app test/contract/memory.contract.test.ts',
  breakAt: 85,
});
