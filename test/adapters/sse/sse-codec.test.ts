import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { encodeEvent, ServerEvent } from '../../../src/adapters/sse/sse-codec.ts';
import { chunkingsOf, cuts } from '../support/chunks.ts';
import { EventStreamParser, type StreamEvent } from '../support/event-stream.ts';

/** What an EventSource dispatches for a stream arriving in `chunks`, and its comments. */
const parse = (chunks: readonly Uint8Array[]): { events: StreamEvent[]; comments: string[] } => {
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  const parser = new EventStreamParser({
    event: (event) => events.push(event),
    comment: (text) => comments.push(text),
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { events, comments };
};

/** Text with line breaks of every kind, multi-byte characters, colons and leading spaces. */
const text = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
      {
        weight: 2,
        arbitrary: fc.constantFrom('\n', '\r\n', '\r', '\n\n', ' ', ':', 'data: ', 'é', '😀'),
      },
    ),
    { maxLength: 5 },
  )
  .map((pieces) => pieces.join(''));
const message = fc.record({ seq: fc.nat(), text });

/** SSE cannot carry a `\r`: each line break, of whatever kind, arrives as `\n`. */
const asDelivered = (s: string): string => s.replace(/\r\n|\r/g, '\n');

test('events come back with their id and text however the stream is split into chunks', (t) => {
  fc.assert(
    fc.property(fc.array(message, { minLength: 1, maxLength: 3 }), cuts, (messages, fractions) => {
      const id = (m: { seq: number }) => `e1:${m.seq}`;
      const bytes = Buffer.from(messages.map((m) => encodeEvent({ id: id(m) }, m.text)).join(''));
      const expected = messages.map((m) => ({
        type: 'message',
        data: asDelivered(m.text),
        lastEventId: id(m),
      }));
      for (const { how, chunks } of chunkingsOf(bytes, fractions)) {
        assert.deepEqual(parse(chunks), { events: expected, comments: [] }, how);
      }
    }),
    { numRuns: 300, includeErrorInReport: true },
  );
  t.pass();
});

test("the server's own lines are a keepalive comment and the bye and error events", (t) => {
  const bytes = Buffer.from(
    [
      encodeEvent({ id: 'e1:7' }, 'hi'),
      ServerEvent.keepalive,
      ServerEvent.sendBufferFull,
      ServerEvent.shuttingDown,
    ].join(''),
  );
  for (const { how, chunks } of chunkingsOf(bytes, [])) {
    t.deepEqual(
      parse(chunks),
      {
        events: [
          { type: 'message', data: 'hi', lastEventId: 'e1:7' },
          { type: 'error', data: 'send buffer full', lastEventId: 'e1:7' },
          { type: 'bye', data: 'server shutting down', lastEventId: 'e1:7' },
        ],
        comments: [' keepalive'],
      },
      how,
    );
  }
});

test('the parser follows the spec: CR, LF and CRLF end lines, a CRLF split in two is one break', (t) => {
  const crlf = Buffer.from('data: a\r\n\r\ndata: b\r\r');
  for (const { how, chunks } of chunkingsOf(crlf, [])) {
    t.deepEqual(
      parse(chunks).events.map((e) => e.data),
      ['a', 'b'],
      how,
    );
  }
  t.deepEqual(parse([Buffer.from('\uFEFFdata: x\n\n')]).events[0]?.data, 'x', 'a leading BOM');
  t.deepEqual(parse([Buffer.from('data: unfinished\n')]).events, [], 'no blank line, no event');
  t.deepEqual(parse([Buffer.from('data\n\n')]).events[0]?.data, '', 'a field with no colon');
});
