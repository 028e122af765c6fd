import type { ConnectionId, Seq } from '../../domain/index.ts';

export type LoggedMessage = Readonly<{ seq: Seq; text: string; at: number; from?: ConnectionId }>;

export type MessageDraft = Readonly<{ text: string; at: number; from?: ConnectionId }>;

/**
 * The ordered log of broadcasts: it assigns sequence numbers (1, 2, 3, ... with no gaps) and
 * keeps the bodies of recent messages once, however many connections still have to receive
 * them. The embedded default lives in memory; a shared log (for a cluster) implements the same.
 */
export interface MessageLog {
  append(draft: MessageDraft): LoggedMessage;
  /** Up to `max` messages after `after`, oldest first. */
  read(after: Seq, max: number): readonly LoggedMessage[];
}
