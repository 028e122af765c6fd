import type { Epoch, JoinRequest, RoomName } from '../../domain/rooms/index.ts';
import type { Engine, JoinAnswer } from '../ports/engine.port.ts';

type FeedNumbering = Readonly<{ epoch: Epoch | undefined; forgetNumbering(): void }>;

/** How long a join waits for the engine before it is refused as `unavailable` (not a setting). */
export const JOIN_TIMEOUT_MS = 10_000;

/** The engine did not answer a join in time: the join is refused `unavailable`. */
class JoinTimeoutError extends Error {
  override readonly name = 'JoinTimeoutError';
}

const answerWithin = async (
  answer: Promise<JoinAnswer>,
  timeoutMs: number,
  room: RoomName,
): Promise<JoinAnswer> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new JoinTimeoutError(`the engine did not answer a join of ${room} in time`)),
      timeoutMs,
    );
    timer.unref();
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Where the engine says `room` is, for a join whose feed listens already. An answer of another
 * numbering than the room's feed holds may have been read before the engine lost the
 * room and the feed saw the new numbering begin: the engine is asked once more, and that answer,
 * read after the feed's numbering, is taken. Each read fails after `joinTimeoutMs`.
 */
export const engineJoin = async (
  engine: Engine,
  feeds: Readonly<{ get(room: RoomName): FeedNumbering | undefined }>,
  room: RoomName,
  request: JoinRequest,
  { joinTimeoutMs: timeoutMs = JOIN_TIMEOUT_MS }: Readonly<{ joinTimeoutMs?: number | undefined }>,
): Promise<JoinAnswer> => {
  const answer = await answerWithin(engine.join(room, request), timeoutMs, room);
  const held = feeds.get(room)?.epoch;
  if (held === undefined || held === answer.epoch) return answer;
  const again = await answerWithin(engine.join(room, request), timeoutMs, room);
  // Read after the feed's messages, and still another numbering: the engine left the feed's one
  // (it lost the room). What the feed holds must not be caught up as if it were newer.
  const feed = feeds.get(room);
  if (feed?.epoch === held && again.epoch !== held) feed.forgetNumbering();
  return again;
};
