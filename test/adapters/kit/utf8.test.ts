import test from 'ava';
import { decodeUtf8 } from '../../../src/adapters/kit/utf8.ts';

test('valid UTF-8 decodes to its text, multi-byte characters included', (t) => {
  t.is(decodeUtf8(Buffer.from('héllo € 😀', 'utf8')), 'héllo € 😀');
  t.is(decodeUtf8(Buffer.alloc(0)), '');
});

test('a byte-order mark is kept, as sent', (t) => {
  t.is(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x61])), '\uFEFFa');
});

for (const [name, bytes] of [
  ['a lone 0xFF', [0x68, 0xff]],
  ['a truncated sequence', [0xc3]],
  ['an overlong encoding', [0xc0, 0xaf]],
  ['a surrogate half', [0xed, 0xa0, 0x80]],
  ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
] as const) {
  test(`${name} is not UTF-8: no U+FFFD, no text`, (t) => {
    t.is(decodeUtf8(Buffer.from(bytes)), undefined);
  });
}

test('the decoder holds no state between calls after an error', (t) => {
  t.is(decodeUtf8(Buffer.from([0xe2, 0x82])), undefined);
  t.is(decodeUtf8(Buffer.from([0xac])), undefined);
  t.is(decodeUtf8(Buffer.from('ok')), 'ok');
});
