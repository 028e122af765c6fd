import { type ChatClient, HubbubClient, SseClient } from '../client/index.ts';
import type { Transport } from './status-view.ts';

export type Connection = Readonly<{ client: ChatClient; transport: Transport }>;

/** Whether the server answers plain HTTP: a WebSocket that fails while it does is blocked. */
const serverAnswers = async (): Promise<boolean> => {
  try {
    return (await fetch('/healthz', { cache: 'no-store' })).ok;
  } catch {
    return false;
  }
};

const sse = (name: string): Connection => ({
  client: new SseClient({ url: location.origin, name }),
  transport: 'sse',
});

/**
 * The page's client: hubbub.v2 over WebSocket, or Server-Sent Events where WebSocket cannot
 * connect while the server is there (a proxy that blocks it, a browser without it).
 * `watching` follows the WebSocket client while the choice is not made.
 */
export const connect = (
  name: string,
  watching: (first: Connection) => void,
): Promise<Connection> => {
  if (typeof WebSocket === 'undefined') return Promise.resolve(sse(name));
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws: Connection = {
    client: new HubbubClient({ url: `${scheme}//${location.host}/ws`, name }),
    transport: 'websocket',
  };
  watching(ws);
  return new Promise((resolve) => {
    let chosen = false;
    const choose = (connection: Connection): void => {
      if (chosen) return;
      chosen = true;
      stop();
      resolve(connection);
    };
    const stop = ws.client.on('state', (state) => {
      if (state === 'connected') choose(ws);
      else if (state === 'reconnecting' && typeof EventSource !== 'undefined') {
        void serverAnswers().then((answers) => {
          if (!answers || chosen || ws.client.state === 'connected') return;
          ws.client.close();
          choose(sse(name));
        });
      }
    });
  });
};
