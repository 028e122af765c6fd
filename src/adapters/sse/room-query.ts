import { DEFAULT_ROOM, isRoomName, type RoomName } from '../../domain/rooms/index.ts';

/** The query of a request to `/events`, `/send` or `/history`, and its room (default `lobby`). */
export const roomQueryOf = (
  url: string | undefined,
): Readonly<{ params: URLSearchParams; room: RoomName | undefined }> => {
  const params = new URL(url ?? '/', 'http://localhost').searchParams;
  const room = params.get('room') ?? DEFAULT_ROOM;
  return { params, room: isRoomName(room) ? room : undefined };
};
