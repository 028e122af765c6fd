// The baseline: a minimal ws broadcast server. Every text message is sent, as a text frame, to
// every open client (the sender included), one `send` per client, nothing else. The limits are
// Hubbub's defaults: messages up to 512 bytes, permessage-deflate off. `GET /healthz` answers
// 200 so start-up is measured the same way for both servers; any other request gets the 426
// that ws's own server sends. Plain JavaScript, run by node alone, so its memory holds no
// TypeScript loader and compares fairly with the compiled Hubbub.
// Usage: node bench/baseline-server.mjs [--host 127.0.0.1] [--port 0]
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { WebSocket, WebSocketServer } from 'ws';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
  },
});

const server = createServer((request, response) => {
  if (request.url === '/healthz') response.end('ok');
  else response.writeHead(426, { 'Content-Type': 'text/plain' }).end('Upgrade Required');
});
const wss = new WebSocketServer({ server, maxPayload: 512, perMessageDeflate: false });

wss.on('connection', (ws) => {
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
    }
  });
});

server.listen(Number(values.port), values.host, () => {
  process.stdout.write(`baseline listening on ${values.host}:${server.address().port}\n`);
});

const stop = () => {
  for (const client of wss.clients) client.terminate();
  wss.close();
  server.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
