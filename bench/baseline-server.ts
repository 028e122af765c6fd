// The baseline: a minimal ws broadcast server. Every text message is sent, as a text frame, to
// every open client (the sender included), one `send` per client, nothing else. The limits are
// Hubbub's defaults: messages up to 512 bytes, permessage-deflate off.
// Usage: node --import=tsx bench/baseline-server.ts [--host 127.0.0.1] [--port 0]
import { parseArgs } from 'node:util';
import { WebSocket, WebSocketServer } from 'ws';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
  },
});

const wss = new WebSocketServer({
  host: values.host,
  port: Number(values.port),
  maxPayload: 512,
  perMessageDeflate: false,
});

wss.on('connection', (ws) => {
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
    }
  });
});

wss.on('listening', () => {
  const address = wss.address();
  const port = typeof address === 'string' || address === null ? address : address.port;
  process.stdout.write(`baseline listening on ${values.host}:${port}\n`);
});

const stop = (): void => {
  for (const client of wss.clients) client.terminate();
  wss.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
