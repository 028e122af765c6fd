// A chat client's connection, whatever the transport: text out, texts in, a normal leave.
import type { Kind, Tally } from './tally.ts';

export type Target = { port: number; tcpPort: number };

/** How a connection ended: the close code (or the transport's last word) and who ended it. */
export type LinkEnd = { code: number | string; reason: string; byServer: boolean };

export interface Link {
  /** Resolves once messages can flow; rejects if the connection could not be made. */
  readonly opened: Promise<void>;
  /** Resolves once the connection is closed (also after a failed open). */
  readonly ended: Promise<LinkEnd>;
  send(text: string): void;
  /** Leaves as a well-behaved client does (close frame, FIN, or end of the request). */
  leave(): void;
  /** Cuts the connection at once: for clean-up after a deadline. */
  destroy(): void;
}

export type LinkOptions = {
  target: Target;
  kind: Kind;
  tally: Tally;
  /** Every chat message received, with its sequence number when the protocol carries one. */
  onText: (text: string, seq: number | undefined) => void;
};
