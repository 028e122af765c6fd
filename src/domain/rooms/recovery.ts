import type { Seq } from '../hub-vocabulary.ts';
import type { Epoch, RoomPosition } from './room-vocabulary.ts';

/**
 * What an engine still holds of a room: its epoch, its latest seq (0 before the first
 * message), and the messages of its history, ascending and without gaps, the newest being the
 * latest (none when the history is empty or expired).
 */
export type RoomWindow<M extends Readonly<{ seq: Seq }>> = Readonly<{
  epoch: Epoch;
  latest: Seq;
  messages: readonly M[];
}>;

/** A `join`: where the client was (`since`, to resume), and how much history it asks for. */
export type JoinRequest = Readonly<{ since?: RoomPosition; history?: number }>;

/**
 * What a `join` is answered with: `recovered` (present when `since` was given) and the
 * messages to send, ascending.
 */
export type Recovery<M> = Readonly<{ recovered?: boolean; messages: readonly M[] }>;

/**
 * Whether every message after `since` is still held: same epoch, not ahead of the room, and
 * no message after it missing from the window.
 */
export const canRecover = <M extends Readonly<{ seq: Seq }>>(
  window: RoomWindow<M>,
  since: RoomPosition,
): boolean => {
  if (since.epoch !== window.epoch || since.seq > window.latest) return false;
  if (since.seq === window.latest) return true;
  const oldest = window.messages[0]?.seq;
  return oldest !== undefined && oldest <= since.seq + 1;
};

/** The newest `count` messages of the window, ascending. */
const newest = <M>(messages: readonly M[], count: number): readonly M[] =>
  count <= 0 ? [] : messages.slice(Math.max(0, messages.length - count));

/**
 * The answer to a `join` (PROTOCOL-v2 "Sequence, epoch, recovery"): recovered, with exactly
 * the messages after `since`; or not, with only the history asked for, so that no part of a
 * gap is ever presented as complete.
 */
export const recover = <M extends Readonly<{ seq: Seq }>>(
  window: RoomWindow<M>,
  request: JoinRequest,
): Recovery<M> => {
  const { since, history = 0 } = request;
  if (since === undefined) return { messages: newest(window.messages, history) };
  if (!canRecover(window, since)) {
    return { recovered: false, messages: newest(window.messages, history) };
  }
  return {
    recovered: true,
    messages: window.messages.filter((message) => message.seq > since.seq),
  };
};
