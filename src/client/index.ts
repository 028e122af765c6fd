export { type Backoff, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
export type { ChatClient, ClientEvents } from './chat-client.ts';
export type {
  ClientOptions,
  ConnectionState,
  WebSocketConstructor,
  WebSocketLike,
} from './client-options.ts';
export type { JoinedRoom } from './client-rooms.ts';
export { HubbubClient } from './hubbub-client.ts';
export {
  type ChatMessage,
  HubbubError,
  type Member,
  type Position,
  utf8Bytes,
  type Welcome,
} from './protocol.ts';
