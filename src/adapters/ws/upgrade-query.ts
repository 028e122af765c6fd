import { isRoomName, isUserName } from '../../domain/rooms/index.ts';

export type UpgradeQuery = Readonly<{ name?: string; room?: string }>;

/**
 * `?name=` and `?room=` of a `/ws` upgrade (PROTOCOL-v2 "Names"); `undefined` when either is
 * present but not valid (the upgrade is then answered 400).
 */
export const queryOf = (url: string | undefined): UpgradeQuery | undefined => {
  const params = new URL(url ?? '/', 'http://localhost').searchParams;
  const name = params.get('name');
  const room = params.get('room');
  if (name !== null && !isUserName(name)) return undefined;
  if (room !== null && !isRoomName(room)) return undefined;
  return { ...(name === null ? {} : { name }), ...(room === null ? {} : { room }) };
};
