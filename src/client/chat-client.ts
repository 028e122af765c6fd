import type { ConnectionState } from './client-options.ts';
import type { JoinedRoom, RoomState } from './client-rooms.ts';
import type { ChatMessage, HubbubError, Member, Welcome } from './protocol.ts';

export type ClientEvents = {
  /** On every (re)connection: the name the server uses for this client and its limit. */
  welcome: (welcome: Welcome) => void;
  message: (message: ChatMessage) => void;
  joined: (joined: JoinedRoom) => void;
  members: (room: string, members: readonly Member[]) => void;
  /** `retryInMs`: with `reconnecting`, the wait before the next attempt. */
  state: (state: ConnectionState, retryInMs?: number) => void;
  /** A refusal no promise was waiting for: above all a rejoin after a reconnect (`room` set). */
  error: (error: HubbubError) => void;
};

/** What a chat client offers, over WebSocket (`HubbubClient`) or Server-Sent Events (`SseClient`). */
export interface ChatClient {
  /** The user name: the server's word for it once welcomed, the one asked for until then. */
  readonly name: string;
  /** The server's limits, known from its welcome. */
  readonly limits: Readonly<{ maxMessageBytes: number }> | undefined;
  readonly state: ConnectionState;
  on<K extends keyof ClientEvents>(event: K, listener: ClientEvents[K]): () => void;
  join(room: string, options?: { history?: number }): Promise<JoinedRoom>;
  leave(room: string): void;
  send(room: string, text: string): Promise<{ seq: number }>;
  history(
    room: string,
    options?: { before?: number; limit?: number },
  ): Promise<readonly ChatMessage[]>;
  members(room: string): readonly Member[];
  /** Where the client is with `room`; `undefined` for a room not joined (or left). */
  roomState(room: string): RoomState | undefined;
  /** Reconnects now instead of waiting out the backoff (the network is back, say). */
  reconnect(): void;
  close(): void;
}
