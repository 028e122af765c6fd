export { type Backoff, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
export type { JoinedRoom } from './client-rooms.ts';
export {
  type ClientOptions,
  type ConnectionState,
  HubbubClient,
  type WebSocketConstructor,
  type WebSocketLike,
} from './hubbub-client.ts';
export { type ChatMessage, HubbubError, type Member, type Position } from './protocol.ts';
