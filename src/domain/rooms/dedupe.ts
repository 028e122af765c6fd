import type { Seq } from '../hub-vocabulary.ts';

/** The first `send` with a client id, as an engine remembers it. */
export type FirstSend = Readonly<{ seq: Seq; at: number }>;

/** What becomes of a `send` with a client id: stored anew, or the repeat of an earlier one. */
export type Dedupe = Readonly<{ kind: 'fresh' }> | Readonly<{ kind: 'repeat'; seq: Seq }>;

/**
 * Idempotent send (PROTOCOL-v2): a `send` repeating the id of an earlier one by the same user
 * name to the same room is a repeat while it comes within `windowMs` of the first, and its
 * `ack` repeats the first one's seq; after that the id is free again.
 */
export const dedupe = (first: FirstSend | undefined, at: number, windowMs: number): Dedupe =>
  first !== undefined && at - first.at < windowMs
    ? { kind: 'repeat', seq: first.seq }
    : { kind: 'fresh' };

/** The key an engine remembers a first send under: one per room, user name and client id. */
export const dedupeKey = (room: string, name: string, id: string): string =>
  JSON.stringify([room, name, id]);
