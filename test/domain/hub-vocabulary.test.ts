import test from 'ava';
import { type DepartureReason, isEviction } from '../../src/domain/index.ts';

const EVICTIONS: readonly DepartureReason[] = [
  'send_buffer_full',
  'pong_timeout',
  'write_timeout',
  'rate_limited',
  'message_too_large',
  'invalid_message',
  'protocol_error',
];

for (const reason of EVICTIONS) {
  test(`isEviction: ${reason} is the server throwing the client out`, (t) => {
    t.true(isEviction(reason));
  });
}

for (const reason of ['left', 'dropped', 'shutdown'] as const) {
  test(`isEviction: ${reason} is a departure, not an eviction`, (t) => {
    t.false(isEviction(reason));
  });
}
