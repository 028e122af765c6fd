import test from 'ava';
import {
  type Encoding,
  encodedAs,
  OutboundCache,
} from '../../../src/adapters/kit/outbound-cache.ts';
import { roomMessage } from '../../support/room-message.ts';

test('one outbound per message, shared by every connection whatever its room', (t) => {
  const cache = new OutboundCache();
  const lobby = roomMessage(1, 'm1');
  const other = roomMessage(1, 'x1', { room: 'other' });
  const first = cache.of(lobby);
  t.is(cache.of(lobby), first, 'the same object for every connection');
  t.like(first, { seq: 1, text: 'm1', message: lobby });
  t.not(cache.of(other), first, 'the same seq in another room is another message');
  t.is(cache.of(other).text, 'x1');
});

test('each encoding is made once, the first time it is needed, and its bytes shared', (t) => {
  const cache = new OutboundCache();
  const message = roomMessage(1, 'm1');
  const outbound = cache.of(message);
  const made: string[] = [];
  const encoding = (slot: number, name: string, format: (text: string) => string): Encoding => ({
    slot,
    encode: (encoded) => {
      made.push(name);
      return Buffer.from(format(encoded.text));
    },
  });
  const line = encoding(0, 'line', (text) => `${text}\n`);
  const event = encoding(1, 'event', (text) => `data: ${text}\n\n`);
  const bytes = encodedAs(outbound, line);
  t.is(encodedAs(outbound, line), bytes, 'the same buffer');
  t.is(encodedAs(cache.of(message), line), bytes, 'for every connection');
  t.is(encodedAs(outbound, event).toString(), 'data: m1\n\n');
  encodedAs(outbound, event);
  t.deepEqual(made, ['line', 'event']);
});
