import { isRoomName, isUserName } from '../client/index.ts';

export const DEFAULT_ROOM = 'lobby';

/** The room a URL's hash names (`#room`), `lobby` without one; `invalid` holds a hash that is not a room name. */
export const roomFromHash = (hash: string): Readonly<{ room: string; invalid?: string }> => {
  let wanted = hash.replace(/^#/, '');
  try {
    wanted = decodeURIComponent(wanted);
  } catch {
    // a malformed escape: the hash as typed is shown as not a room name
  }
  if (wanted === '') return { room: DEFAULT_ROOM };
  return isRoomName(wanted) ? { room: wanted } : { room: DEFAULT_ROOM, invalid: wanted };
};

const NAME_KEY = 'hubbub.name';

/** The user name this browser remembers, if it remembers a valid one. */
export const rememberedName = (): string | undefined => {
  try {
    const name = localStorage.getItem(NAME_KEY) ?? undefined;
    return isUserName(name) ? name : undefined;
  } catch {
    return undefined; // storage refused (a privacy setting): asked for on every visit
  }
};

export const rememberName = (name: string): void => {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // not remembered; the name still holds for this visit
  }
};
