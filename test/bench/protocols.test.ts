// The frames the generator sends in each protocol, and its check of the first frame received.
import test from 'ava';
import { encodeMessage } from '../../bench/load/message.ts';
import { chatFrame, firstFrameMismatch, joinFrame } from '../../bench/load/protocols.ts';

const text = encodeMessage(12, 345, 6_789_000);

test('a chat message is the text itself, a v1 send, or a v2 send to the room joined', (t) => {
  t.is(chatFrame('plain', text, undefined), text);
  t.deepEqual(JSON.parse(chatFrame('v1', text, undefined)), { type: 'send', text });
  t.deepEqual(JSON.parse(chatFrame('v2', text, 'active-7')), {
    type: 'send',
    room: 'active-7',
    text,
  });
  t.throws(() => chatFrame('v2', text, undefined));
});

test('a join is the hubbub.v2 join command for the room', (t) => {
  t.deepEqual(JSON.parse(joinFrame('idle-42')), { type: 'join', room: 'idle-42' });
});

const joined = (room: string): string =>
  JSON.stringify([
    { type: 'joined', room, epoch: 'e1', seq: 0, messages: [], members: [] },
    { type: 'member_joined', room, name: 'guest-1' },
  ]);

test("a v2 connection's first frame must open with the joined item of its room", (t) => {
  t.is(firstFrameMismatch('v2', joined('active-0'), 'active-0'), undefined);
  t.regex(
    firstFrameMismatch('v2', joined('idle-1'), 'active-0') ?? '',
    /not "joined" for active-0/,
  );
  const refused = JSON.stringify([
    { type: 'error', for: 'join', reason: 'too_many_rooms', message: 'full', room: 'active-0' },
  ]);
  t.regex(firstFrameMismatch('v2', refused, 'active-0') ?? '', /too_many_rooms/);
});

test('a v1 or v2 frame must be a non-empty JSON array of items, messages with a seq and a text', (t) => {
  const message = { type: 'message', seq: 1, text };
  t.is(firstFrameMismatch('v1', JSON.stringify([message]), undefined), undefined);
  t.regex(firstFrameMismatch('v1', text, undefined) ?? '', /^not JSON/);
  t.regex(firstFrameMismatch('v1', '[]', undefined) ?? '', /^not a JSON array/);
  t.regex(firstFrameMismatch('v2', '{"type":"joined"}', 'r') ?? '', /^not a JSON array/);
  const noSeq = JSON.stringify([{ type: 'message', text }]);
  t.regex(firstFrameMismatch('v1', noSeq, undefined) ?? '', /^not a JSON array/);
});

test('a plain connection must not receive JSON arrays', (t) => {
  t.is(firstFrameMismatch('plain', text, undefined), undefined);
  t.regex(firstFrameMismatch('plain', '[{"type":"message"}]', undefined) ?? '', /JSON array/);
});
