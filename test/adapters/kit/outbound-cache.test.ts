import test from 'ava';
import {
  type Encoding,
  encodedAs,
  OutboundCache,
} from '../../../src/adapters/kit/outbound-cache.ts';
import type { LoggedMessage } from '../../../src/app/ports/message-log.port.ts';

/** A log of `head` broadcasts (`m1`, `m2`, ...) that records its reads. */
const logOf = (head: number, oldest = 1) => {
  const reads: Array<[after: number, max: number]> = [];
  return {
    reads,
    read(after: number, max: number): LoggedMessage[] {
      reads.push([after, max]);
      const messages: LoggedMessage[] = [];
      for (let seq = Math.max(after + 1, oldest); seq <= Math.min(head, after + max); seq++) {
        messages.push({ seq, text: `m${seq}`, at: 0 });
      }
      return messages;
    },
  };
};

test('a miss reads the broadcast and those after it up to head once; then every get is shared', (t) => {
  const cache = new OutboundCache(8);
  const log = logOf(3);
  const first = cache.get(1, 3, log);
  t.deepEqual(log.reads, [[0, 3]]);
  t.is(cache.get(1, 3, log), first, 'the same object for every connection');
  t.deepEqual([cache.get(2, 3, log).text, cache.get(3, 3, log).text], ['m2', 'm3']);
  t.deepEqual(log.reads, [[0, 3]], 'no more reads');
});

test('a miss reads no more than the cache keeps', (t) => {
  const cache = new OutboundCache(4);
  const log = logOf(100);
  t.is(cache.get(1, 100, log).text, 'm1');
  t.deepEqual(log.reads, [[0, 5]]);
});

test('the cache keeps `retention` broadcasts: an older one is read again', (t) => {
  const cache = new OutboundCache(2);
  const log = logOf(6);
  for (let seq = 1; seq <= 6; seq++) cache.get(seq, seq, log);
  const reads = log.reads.length;
  t.is(cache.get(4, 6, log).text, 'm4', 'still kept');
  t.is(log.reads.length, reads);
  t.is(cache.get(1, 6, log).text, 'm1', 'read again');
  t.is(log.reads.length, reads + 1);
});

test('a broadcast no longer in the log throws a RangeError', (t) => {
  const cache = new OutboundCache(4);
  const gone = { instanceOf: RangeError, message: 'broadcast 2 is no longer in the log' };
  t.throws(() => cache.get(2, 9, logOf(9, 5)), gone);
  cache.get(7, 7, logOf(7));
  t.throws(() => cache.get(2, 9, logOf(9, 5)), gone, 'its place in the cache holds 7');
});

test('each encoding is made once, the first time it is needed, and its bytes shared', (t) => {
  const cache = new OutboundCache(4);
  const outbound = cache.get(1, 1, logOf(1));
  const made: string[] = [];
  const encoding = (slot: number, name: string, format: (text: string) => string): Encoding => ({
    slot,
    encode: (message) => {
      made.push(name);
      return Buffer.from(format(message.text));
    },
  });
  const line = encoding(0, 'line', (text) => `${text}\n`);
  const event = encoding(1, 'event', (text) => `data: ${text}\n\n`);
  const bytes = encodedAs(outbound, line);
  t.is(encodedAs(outbound, line), bytes, 'the same buffer');
  t.is(encodedAs(cache.get(1, 1, logOf(1)), line), bytes, 'for every connection');
  t.is(encodedAs(outbound, event).toString(), 'data: m1\n\n');
  encodedAs(outbound, event);
  t.deepEqual(made, ['line', 'event']);
});
