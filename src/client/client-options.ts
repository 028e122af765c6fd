import type { Backoff } from './backoff.ts';

/** What the client needs of a WebSocket: the browser's, or `ws` in Node. */
export type WebSocketLike = {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
};
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export type ClientOptions = Readonly<{
  /** The server's WebSocket URL, e.g. `ws://localhost:8080/ws`. */
  url: string;
  /** The user name (1–32 characters); the server names a guest otherwise. */
  name?: string;
  /** Needed where there is no global WebSocket (Node 20: pass `ws`'s). */
  WebSocket?: WebSocketConstructor;
  backoff?: Backoff;
  random?: () => number;
}>;
