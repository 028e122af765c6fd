import test from 'ava';
import { TOKENS } from '../../src/app/tokens.ts';

// Symbol.for, not Symbol(): a second copy of the module (two installs of the package, a test
// double loaded apart) still names the same bindings, and adapters' tokens cannot clash with
// the core's because theirs are named hubbub.<adapter>.<Name>.
test('each token is the global symbol hubbub.<its key>, so every copy of the module finds the same binding', (t) => {
  for (const [key, token] of Object.entries(TOKENS)) t.is(token, Symbol.for(`hubbub.${key}`), key);
  t.is(new Set(Object.values(TOKENS)).size, Object.keys(TOKENS).length);
});
