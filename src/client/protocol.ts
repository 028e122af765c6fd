/** The items and values of hubbub.v2 a client sees (PROTOCOL-v2), as plain data. */

export type Position = Readonly<{ epoch: string; seq: number }>;

export type ChatMessage = Readonly<{
  room: string;
  seq: number;
  epoch: string;
  text: string;
  from: string;
  at: number;
  id?: string;
}>;

export type Member = Readonly<{ name: string; connections: number }>;

/** The first item of every connection (a Hubbub extension): who the server takes the client for. */
export type Welcome = Readonly<{ name: string; maxMessageBytes: number }>;

/** The `joined` item without its type: a room joined, where it was, and what came with it. */
export type JoinedRoom = Readonly<{
  room: string;
  /** The room's numbering and its latest seq when joined. */
  epoch: string;
  seq: number;
  /** Present on a rejoin: false when messages may be missing (a gap the server could not fill). */
  recovered?: boolean;
  messages: readonly ChatMessage[];
  members: readonly Member[];
}>;

export type ServerItem =
  | (Welcome & Readonly<{ type: 'welcome' }>)
  | (ChatMessage & Readonly<{ type: 'message' }>)
  | (JoinedRoom & Readonly<{ type: 'joined' }>)
  | Readonly<{ type: 'ack'; id: string; room: string; seq: number }>
  | Readonly<{ type: 'left'; room: string }>
  | Readonly<{ type: 'history'; room: string; messages: readonly ChatMessage[] }>
  | Readonly<{ type: 'members'; room: string; members: readonly Member[] }>
  | Readonly<{ type: 'member_joined' | 'member_left'; room: string; name: string }>
  | Readonly<{
      type: 'error';
      for: string;
      reason: string;
      message: string;
      room?: string;
      id?: string;
    }>;

/** A refused command, as the promise of that command rejects with it. */
export class HubbubError extends Error {
  override readonly name = 'HubbubError';
  constructor(
    readonly reason: string,
    message: string,
    /** The room of the refused command, when it had one. */
    readonly room?: string,
  ) {
    super(message);
  }
}

/** The UTF-8 bytes of `text`: what `maxMessageBytes` counts. */
export const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;
