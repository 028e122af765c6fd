import { isUserName, type RoomName } from '../../domain/rooms/index.ts';
import { roomQueryOf } from './room-query.ts';

/** Who posts without `?name`: one name for every anonymous post, so retries with an id dedupe. */
export const ANONYMOUS_SENDER = 'guest';

export type SendQuery = Readonly<{ room: RoomName; name: string; id?: string }>;

/** `?room`, `?name` and `?id` of a `POST /send`; the first thing wrong, in words, for a 400. */
export const sendQueryOf = (url: string | undefined): SendQuery | string => {
  const { params, room } = roomQueryOf(url);
  if (room === undefined) return 'bad ?room';
  const name = params.get('name') ?? ANONYMOUS_SENDER;
  if (!isUserName(name)) return 'bad ?name (1-32 characters, no control characters)';
  const id = params.get('id');
  if (id !== null && (id.length < 1 || id.length > 64)) return 'bad ?id (1-64 characters)';
  return { room, name, ...(id === null ? {} : { id }) };
};
