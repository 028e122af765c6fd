// The frames the generator sends in each protocol, and its check of the first frame received.
import test from 'ava';
import { encodeMessage } from '../../bench/load/message.ts';
import {
  chatFrame,
  firstFrameMismatch,
  joinAnswer,
  joinFrame,
} from '../../bench/load/protocols.ts';

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

const welcome = { type: 'welcome', name: 'guest-1', maxMessageBytes: 512 };
const joined = (room: string) => ({
  type: 'joined',
  room,
  epoch: 'e1',
  seq: 0,
  messages: [],
  members: [],
});

test('the answer to a join is the joined item of its room, wherever it stands in a frame', (t) => {
  t.is(joinAnswer(JSON.stringify([welcome]), 'active-0'), undefined);
  t.deepEqual(joinAnswer(JSON.stringify([joined('active-0')]), 'active-0'), { kind: 'joined' });
  t.deepEqual(joinAnswer(JSON.stringify([welcome, joined('active-0')]), 'active-0'), {
    kind: 'joined',
  });
  t.is(joinAnswer(JSON.stringify([joined('idle-1')]), 'active-0'), undefined);
});

test('an error item for the join of the room, or a frame that is not v2, refuses it', (t) => {
  const refused = JSON.stringify([
    { type: 'error', for: 'join', reason: 'too_many_rooms', message: 'full', room: 'active-0' },
  ]);
  const answer = joinAnswer(refused, 'active-0');
  t.is(answer?.kind, 'refused');
  t.regex(answer?.kind === 'refused' ? answer.why : '', /^too_many_rooms/);
  const otherCommand = JSON.stringify([
    { type: 'error', for: 'send', reason: 'not_joined', message: 'join first', room: 'active-0' },
  ]);
  t.is(joinAnswer(otherCommand, 'active-0'), undefined);
  t.is(joinAnswer('hello', 'active-0')?.kind, 'refused');
});

test('a first v1 or v2 frame must be a non-empty JSON array of items, messages with a seq and a text', (t) => {
  const message = { type: 'message', seq: 1, text };
  t.is(firstFrameMismatch('v1', JSON.stringify([message])), undefined);
  t.is(firstFrameMismatch('v2', JSON.stringify([welcome])), undefined);
  t.regex(firstFrameMismatch('v1', text) ?? '', /^not JSON/);
  t.regex(firstFrameMismatch('v1', '[]') ?? '', /^not a JSON array/);
  t.regex(firstFrameMismatch('v2', '{"type":"joined"}') ?? '', /^not a JSON array/);
  const noSeq = JSON.stringify([{ type: 'message', text }]);
  t.regex(firstFrameMismatch('v1', noSeq) ?? '', /^not a JSON array/);
});

test('a plain connection must not receive JSON arrays', (t) => {
  t.is(firstFrameMismatch('plain', text), undefined);
  t.regex(firstFrameMismatch('plain', '[{"type":"message"}]') ?? '', /JSON array/);
});
