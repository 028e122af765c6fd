import test from 'ava';
import { isOriginAllowed } from '../../../src/adapters/kit/origin-policy.ts';

const HOST = 'chat.example.com:8080';

test('a missing Origin is allowed (non-browser clients send none)', (t) => {
  t.true(isOriginAllowed(undefined, HOST, []));
  t.true(isOriginAllowed(undefined, undefined, []));
});

test('an Origin whose host:port is the request Host is allowed, in any case', (t) => {
  t.true(isOriginAllowed('http://chat.example.com:8080', HOST, []));
  t.true(isOriginAllowed('https://chat.example.com:8080', HOST, []));
  t.true(isOriginAllowed('http://CHAT.Example.com:8080', HOST, []));
  t.true(isOriginAllowed('http://chat.example.com:8080', 'CHAT.EXAMPLE.COM:8080', []));
  t.true(isOriginAllowed('http://localhost', 'localhost', []));
});

test('an Origin on another host or port is refused', (t) => {
  t.false(isOriginAllowed('http://evil.example', HOST, []));
  t.false(isOriginAllowed('http://chat.example.com', HOST, []));
  t.false(isOriginAllowed('http://chat.example.com:8081', HOST, []));
  t.false(isOriginAllowed('http://sub.chat.example.com:8080', HOST, []));
  t.false(isOriginAllowed('http://chat.example.com.evil.example:8080', HOST, []));
});

test('a present Origin with no Host to compare against is refused unless listed', (t) => {
  t.false(isOriginAllowed('http://chat.example.com:8080', undefined, []));
  t.true(isOriginAllowed('https://a.example', undefined, ['https://a.example']));
});

test('an unparseable or opaque Origin is refused', (t) => {
  t.false(isOriginAllowed('null', HOST, []));
  t.false(isOriginAllowed('', HOST, []));
  t.false(isOriginAllowed('not a url', HOST, []));
  t.false(isOriginAllowed('null', HOST, ['null']));
  t.false(isOriginAllowed('file:///etc/passwd', HOST, ['file://']));
});

test('listed origins are allowed, compared as origins (scheme, host and port)', (t) => {
  const allowed = ['https://a.example', 'http://b.example:3000'];
  t.true(isOriginAllowed('https://a.example', HOST, allowed));
  t.true(isOriginAllowed('https://A.EXAMPLE', HOST, allowed));
  t.true(
    isOriginAllowed('https://a.example:443', HOST, allowed),
    'default port is the same origin',
  );
  t.true(isOriginAllowed('http://b.example:3000', HOST, allowed));
  t.false(isOriginAllowed('http://a.example', HOST, allowed), 'scheme differs');
  t.false(isOriginAllowed('https://a.example:444', HOST, allowed), 'port differs');
  t.false(isOriginAllowed('http://b.example', HOST, allowed));
  t.false(isOriginAllowed('https://x.a.example', HOST, allowed));
});

test("'*' allows any Origin, even an opaque or unparseable one", (t) => {
  t.true(isOriginAllowed('http://evil.example', HOST, ['*']));
  t.true(isOriginAllowed('null', HOST, ['*']));
  t.true(isOriginAllowed('not a url', HOST, ['https://a.example', '*']));
});
