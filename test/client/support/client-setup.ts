import type { Socket } from 'node:net';
import type { ExecutionContext } from 'ava';
import { WebSocket } from 'ws';
import {
  type ChatMessage,
  type ConnectionState,
  HubbubClient,
  type WebSocketConstructor,
} from '../../../src/client/index.ts';

/** `ws`'s WebSocket, keeping every socket made, so a test can cut one as a network would. */
export const recordingWebSocket = () => {
  const made: WebSocket[] = [];
  class Recording extends WebSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols);
      made.push(this);
    }
  }
  return { made, WebSocket: Recording as unknown as WebSocketConstructor };
};

/** The TCP socket under a `ws` WebSocket, for pausing its reads. */
export const socketOf = (ws: WebSocket | undefined): Socket => {
  const socket = (ws as unknown as { _socket?: Socket } | undefined)?._socket;
  if (socket === undefined) throw new Error('no socket');
  return socket;
};

export const FAST = { initialMs: 20, maxMs: 100, factor: 2 };

export type TestedClient = Readonly<{
  hubbub: HubbubClient;
  /** Every message event, in order. */
  got: ChatMessage[];
  /** Every state event, with its wait when reconnecting. */
  states: Array<{ state: ConnectionState; retryInMs?: number }>;
  sockets: ReturnType<typeof recordingWebSocket>;
}>;

/** A client of the server at `url` that records what it hears, closed when the test ends. */
export const testedClient = (
  t: ExecutionContext,
  url: string,
  name: string | undefined,
  options: Partial<ConstructorParameters<typeof HubbubClient>[0]> = {},
): TestedClient => {
  const sockets = recordingWebSocket();
  const hubbub = new HubbubClient({
    url,
    ...(name === undefined ? {} : { name }),
    WebSocket: sockets.WebSocket,
    backoff: FAST,
    ...options,
  });
  const got: ChatMessage[] = [];
  const states: TestedClient['states'] = [];
  hubbub.on('message', (message) => got.push(message));
  hubbub.on('state', (state, retryInMs) =>
    states.push(retryInMs === undefined ? { state } : { state, retryInMs }),
  );
  t.teardown(() => hubbub.close());
  return { hubbub, got, states, sockets };
};
