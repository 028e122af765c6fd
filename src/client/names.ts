/** Room and user names as PROTOCOL-v2 "Names" allows them, checked before the server would refuse them. */

const ROOM_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const isRoomName = (value: unknown): value is string =>
  typeof value === 'string' && ROOM_NAME.test(value);

const CONTROL = /\p{Cc}/u;

/** 1 to 32 characters (code points), no control character. */
export const isUserName = (value: unknown): value is string =>
  typeof value === 'string' &&
  !CONTROL.test(value) &&
  [...value].length >= 1 &&
  [...value].length <= 32;
