import test from 'ava';
import {
  isCrossSite,
  isTextPlainUtf8,
  refusalOfSend,
  SendAnswer,
} from '../../../src/adapters/sse/send-request.ts';

const HOST = 'chat.example.com:8080';
const PAGE = `http://${HOST}`;

test('no Origin and no Sec-Fetch-Site (curl, a script) is not cross-site', (t) => {
  t.false(isCrossSite({ host: HOST }, []));
});

test('an Origin naming the Host is not cross-site, whatever the case of the host', (t) => {
  t.false(isCrossSite({ host: HOST, origin: PAGE }, []));
  t.false(isCrossSite({ host: HOST, origin: 'http://CHAT.example.com:8080' }, []));
});

for (const origin of ['http://evil.example', 'http://chat.example.com:1', 'null', 'not a url']) {
  test(`Origin ${origin} is cross-site`, (t) => {
    t.true(isCrossSite({ host: HOST, origin }, []));
  });
}

test('an Origin decides alone: Sec-Fetch-Site does not overrule it', (t) => {
  t.false(isCrossSite({ host: HOST, origin: PAGE, 'sec-fetch-site': 'cross-site' }, []));
  t.true(isCrossSite({ host: HOST, origin: 'null', 'sec-fetch-site': 'same-origin' }, []));
});

test('listed origins pass, and * lets any through, null included', (t) => {
  t.false(isCrossSite({ host: HOST, origin: 'https://a.example' }, ['https://a.example']));
  t.true(isCrossSite({ host: HOST, origin: 'https://b.example' }, ['https://a.example']));
  t.false(isCrossSite({ host: HOST, origin: 'null' }, ['*']));
});

for (const [site, cross] of [
  ['cross-site', true],
  ['same-site', true],
  ['Cross-Site', true],
  ['same-origin', false],
  ['none', false],
] as const) {
  test(`without Origin, Sec-Fetch-Site: ${site} is ${cross ? '' : 'not '}cross-site`, (t) => {
    t.is(isCrossSite({ host: HOST, 'sec-fetch-site': site }, []), cross);
  });
}

for (const type of [
  'text/plain',
  'text/plain;charset=UTF-8',
  'text/plain; charset=utf-8',
  'TEXT/Plain ; CHARSET="Utf-8"',
  'text/plain; format=flowed',
  'text/plain;',
]) {
  test(`${type} is text/plain in UTF-8`, (t) => {
    t.true(isTextPlainUtf8(type));
  });
}

for (const type of [
  undefined,
  '',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/json',
  'text/html',
  'text/plainish',
  'text/plain; charset=iso-8859-1',
  'text/plain; charset=utf-16',
  'text/plain; charset=',
  'text/plain; charset=utf-8; charset=latin1',
  'text/plain; bad name=x',
]) {
  test(`${String(type)} is not text/plain in UTF-8`, (t) => {
    t.false(isTextPlainUtf8(type));
  });
}

test('the origin is checked before the content type', (t) => {
  const formFromElsewhere = {
    host: HOST,
    origin: 'http://evil.example',
    'content-type': 'application/x-www-form-urlencoded',
  };
  t.deepEqual(refusalOfSend(formFromElsewhere, []), {
    status: 403,
    text: SendAnswer.crossSite,
    reason: 'origin_not_allowed',
  });
  t.deepEqual(refusalOfSend({ ...formFromElsewhere, origin: PAGE }, []), {
    status: 415,
    text: SendAnswer.unsupportedType,
    reason: 'bad_request',
  });
  t.is(refusalOfSend({ host: HOST, origin: PAGE, 'content-type': 'text/plain' }, []), undefined);
});
