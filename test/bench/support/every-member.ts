// What a small run of the rooms load against real servers must show: every member of an active
// room got every message of its sender once, in order, and nobody else got any.
import type { ExecutionContext } from 'ava';
import type { RoomsMeasurement } from '../../../bench/load/rooms-step.ts';

export const assertEveryMemberServed = (
  t: ExecutionContext,
  measured: RoomsMeasurement,
  owed: number,
): void => {
  t.is(measured.membersOwed, owed);
  t.is(measured.membersComplete, owed);
  t.is(measured.misrouted, 0);
  t.is(measured.disorder, 0);
  t.true(measured.step.expected > 0);
  t.is(measured.step.delivered, measured.step.expected);
  t.is(measured.step.evicted, 0);
};
