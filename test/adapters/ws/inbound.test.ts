import test from 'ava';
import { evictionOfWsError, readInbound } from '../../../src/adapters/ws/inbound.ts';

const bytes = (text: string) => Buffer.from(text, 'utf8');

test('a plain text message within the limit is published as it came', (t) => {
  t.deepEqual(readInbound(bytes('héllo'), false, 'plain', 6), { kind: 'message', text: 'héllo' });
});

test('a plain message one byte over the limit is refused with 1009, counted as too large', (t) => {
  t.deepEqual(readInbound(bytes('héllo!'), false, 'plain', 6), {
    kind: 'refused',
    code: 1009,
    reason: 'message too large',
    eviction: 'message_too_large',
  });
});

test('binary is refused with 1003 whatever the protocol', (t) => {
  for (const protocol of ['plain', 'hubbub.v1'] as const) {
    t.like(readInbound(bytes('x'), true, protocol, 512), {
      kind: 'refused',
      code: 1003,
      eviction: 'invalid_message',
    });
  }
});

test('hubbub.v1 publishes the text of a send and refuses anything else with its code', (t) => {
  t.deepEqual(readInbound(bytes('{"type":"send","text":"hi"}'), false, 'hubbub.v1', 512), {
    kind: 'message',
    text: 'hi',
  });
  t.like(readInbound(bytes('{"type":"shout","text":"hi"}'), false, 'hubbub.v1', 512), {
    kind: 'refused',
    code: 1008,
    eviction: 'invalid_message',
  });
  t.like(readInbound(bytes('not json'), false, 'hubbub.v1', 512), {
    kind: 'refused',
    eviction: 'invalid_message',
  });
});

test("ws's own errors count as the eviction they are", (t) => {
  t.is(evictionOfWsError('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'), 'message_too_large');
  t.is(evictionOfWsError('WS_ERR_INVALID_UTF8'), 'invalid_message');
  t.is(evictionOfWsError('WS_ERR_INVALID_OPCODE'), 'protocol_error');
  t.is(evictionOfWsError(''), 'protocol_error');
});
