import test from 'ava';
import fc from 'fast-check';
import { parseV2Frame } from '../../../src/adapters/ws/hubbub-v2.ts';
import { V2Item } from '../../../src/adapters/ws/hubbub-v2-items.ts';
import type { RoomMessage } from '../../../src/app/ports/engine.port.ts';

const parse = (value: unknown, max = 16) =>
  parseV2Frame(typeof value === 'string' ? value : JSON.stringify(value), max);

test('well-formed commands are read with their optional fields', (t) => {
  t.deepEqual(parse({ type: 'join', room: 'lobby' }), {
    kind: 'command',
    command: { type: 'join', room: 'lobby' },
  });
  t.deepEqual(
    parse({ type: 'join', room: 'a', history: 5, since: { epoch: 'e', seq: 3 }, extra: 1 }),
    {
      kind: 'command',
      command: { type: 'join', room: 'a', history: 5, since: { epoch: 'e', seq: 3 } },
    },
  );
  t.deepEqual(parse({ type: 'send', room: 'a', text: 'hi', id: 'c-1' }), {
    kind: 'command',
    command: { type: 'send', room: 'a', text: 'hi', id: 'c-1' },
  });
  t.deepEqual(parse({ type: 'history', room: 'a' }), {
    kind: 'command',
    command: { type: 'history', room: 'a', limit: 50 },
  });
  t.deepEqual(parse({ type: 'history', room: 'a', before: 9, limit: 5000 }), {
    kind: 'command',
    command: { type: 'history', room: 'a', before: 9, limit: 1_000 },
  });
  t.deepEqual(parse({ type: 'leave', room: 'a' }), {
    kind: 'command',
    command: { type: 'leave', room: 'a' },
  });
  t.deepEqual(parse({ type: 'members', room: 'a' }), {
    kind: 'command',
    command: { type: 'members', room: 'a' },
  });
});

test('refused commands keep the connection open and name the command, the room and the id', (t) => {
  const reasonOf = (value: unknown) => {
    const frame = parse(value);
    return frame.kind === 'refused' ? frame.refusal : undefined;
  };
  t.like(reasonOf({ type: 'shout', room: 'a' }), { for: 'shout', reason: 'unknown_type' });
  t.like(reasonOf({ room: 'a' }), { for: '', reason: 'unknown_type' });
  t.like(reasonOf({ type: 'join' }), { for: 'join', reason: 'bad_command' });
  t.like(reasonOf({ type: 'join', room: '-x' }), { for: 'join', reason: 'bad_room', room: '-x' });
  t.like(reasonOf({ type: 'join', room: 'a', history: -1 }), { reason: 'bad_command', room: 'a' });
  t.like(reasonOf({ type: 'join', room: 'a', since: { seq: 1 } }), { reason: 'bad_command' });
  t.like(reasonOf({ type: 'send', room: 'a' }), { for: 'send', reason: 'bad_command' });
  t.like(reasonOf({ type: 'send', room: 'a', text: 'x', id: '' }), { reason: 'bad_command' });
  t.like(reasonOf({ type: 'send', room: 'a', text: 'x'.repeat(17), id: 'k' }), {
    for: 'send',
    reason: 'message_too_large',
    room: 'a',
    id: 'k',
  });
  t.like(reasonOf({ type: 'history', room: 'a', limit: 1.5 }), { reason: 'bad_command' });
});

test('the text limit counts UTF-8 bytes', (t) => {
  t.is(parse({ type: 'send', room: 'a', text: 'é'.repeat(8) }).kind, 'command');
  t.is(parse({ type: 'send', room: 'a', text: `${'é'.repeat(8)}x` }).kind, 'refused');
});

test('what is not a JSON object closes the connection as in v1', (t) => {
  t.deepEqual(parse('{nope'), { kind: 'invalid', code: 1007, reason: 'invalid JSON' });
  for (const value of ['[]', '"send"', '3', 'null']) {
    t.deepEqual(parse(value), { kind: 'invalid', code: 1008, reason: 'expected a JSON object' });
  }
});

test('any JSON value is read without throwing', (t) => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const frame = parse(value);
      t.true(['command', 'refused', 'invalid'].includes(frame.kind));
    }),
    { numRuns: 2_000 },
  );
});

const message: RoomMessage = {
  room: 'a',
  seq: 3,
  epoch: 'e',
  text: 'hi "you"',
  from: 'ann',
  at: 5,
  id: 'k',
};

test('items are the JSON PROTOCOL-v2 describes', (t) => {
  t.deepEqual(JSON.parse(V2Item.message(message)), { type: 'message', ...message });
  const { id: _, ...withoutId } = message;
  t.deepEqual(JSON.parse(V2Item.message(withoutId)), { type: 'message', ...withoutId });
  t.deepEqual(
    JSON.parse(
      V2Item.joined('a', {
        epoch: 'e',
        seq: 3,
        recovered: true,
        messages: [message],
        members: [{ name: 'ann', connections: 2 }],
      }),
    ),
    {
      type: 'joined',
      room: 'a',
      epoch: 'e',
      seq: 3,
      recovered: true,
      messages: [{ type: 'message', ...message }],
      members: [{ name: 'ann', connections: 2 }],
    },
  );
  t.false(
    'recovered' in
      JSON.parse(V2Item.joined('a', { epoch: 'e', seq: 0, messages: [], members: [] })),
  );
  t.deepEqual(JSON.parse(V2Item.ack('k', 'a', 3)), { type: 'ack', id: 'k', room: 'a', seq: 3 });
  t.deepEqual(JSON.parse(V2Item.left('a')), { type: 'left', room: 'a' });
  t.deepEqual(JSON.parse(V2Item.history('a', [message])), {
    type: 'history',
    room: 'a',
    messages: [{ type: 'message', ...message }],
  });
  t.deepEqual(JSON.parse(V2Item.members('a', [])), { type: 'members', room: 'a', members: [] });
  t.deepEqual(JSON.parse(V2Item.presence({ type: 'member_left', room: 'a', name: 'bob' })), {
    type: 'member_left',
    room: 'a',
    name: 'bob',
  });
  t.deepEqual(
    JSON.parse(
      V2Item.error({ for: 'send', reason: 'not_joined', message: 'join first', room: 'a' }),
    ),
    {
      type: 'error',
      for: 'send',
      reason: 'not_joined',
      message: 'join first',
      room: 'a',
    },
  );
});
