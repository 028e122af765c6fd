import { randomBytes } from 'node:crypto';

/** The user name of a client that gave none (PROTOCOL-v2 "Names"). */
export const guestName = (): string => `guest-${randomBytes(3).toString('hex')}`;
