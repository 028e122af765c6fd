export { type Backoff, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
export type { ChatClient, ClientEvents } from './chat-client.ts';
export type {
  ClientOptions,
  ConnectionState,
  WebSocketConstructor,
  WebSocketLike,
} from './client-options.ts';
export type { JoinedRoom, RoomState } from './client-rooms.ts';
export { HubbubClient } from './hubbub-client.ts';
export { isRoomName, isUserName } from './names.ts';
export {
  type ChatMessage,
  HubbubError,
  type Member,
  type Position,
  utf8Bytes,
  type Welcome,
} from './protocol.ts';
export type { EventSourceConstructor, EventSourceLike } from './room-stream.ts';
export { SseClient, type SseClientOptions } from './sse-client.ts';
