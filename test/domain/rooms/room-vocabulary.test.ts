import test from 'ava';
import { isRoomName, isUserName } from '../../../src/domain/rooms/index.ts';

test('room names: a letter or digit, then up to 63 of letters, digits and ._:-', (t) => {
  for (const good of ['lobby', 'a', '0', 'team.dev:ops-1_x', `a${'b'.repeat(63)}`]) {
    t.true(isRoomName(good), good);
  }
  for (const bad of ['', '-a', '.a', 'a b', 'é', `a${'b'.repeat(64)}`, 'a/b', 42, undefined]) {
    t.false(isRoomName(bad), String(bad));
  }
});

test('user names: 1 to 32 characters, no control characters', (t) => {
  for (const good of ['ann', 'Zoë', '名前', '🙂'.repeat(32), 'a b', 'x'.repeat(32)]) {
    t.true(isUserName(good), good);
  }
  for (const bad of [
    '',
    'x'.repeat(33),
    '🙂'.repeat(33),
    'a\nb',
    'tab\t',
    'del\u007f',
    'c1\u0085',
    7,
  ]) {
    t.false(isUserName(bad), JSON.stringify(bad));
  }
});
