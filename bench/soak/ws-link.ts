// A WebSocket chat client (the `ws` package, which answers pings itself): plain, one message
// per text frame, or hubbub.v1, JSON envelopes with sequence numbers.
import WebSocket from 'ws';
import type { Link, LinkEnd, LinkOptions } from './link.ts';

const HANDSHAKE_MS = 5_000;

export const wsLink = (options: LinkOptions, protocol: 'plain' | 'hubbub.v1'): Link => {
  const { target, kind, tally, onText } = options;
  const ws = new WebSocket(
    `ws://127.0.0.1:${target.port}/ws`,
    protocol === 'hubbub.v1' ? ['hubbub.v1'] : [],
    { perMessageDeflate: false, handshakeTimeout: HANDSHAKE_MS },
  );
  let isOpen = false;
  let leaving = false;
  ws.on('error', () => {}); // the 'close' that follows tells how it ended
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      isOpen = true;
      tally.opened(kind);
      resolve();
    });
    ws.once('close', () => reject(new Error('closed before it opened')));
  });
  opened.catch(() => {});
  const ended = new Promise<LinkEnd>((resolve) => {
    ws.once('close', (code, reason) => {
      if (isOpen) tally.closed(kind);
      else tally.failed(kind);
      resolve({ code, reason: reason.toString(), byServer: !leaving });
    });
  });
  ws.on('message', (data: Buffer, isBinary) => {
    if (isBinary) return;
    const text = data.toString('utf8');
    if (protocol === 'plain') {
      onText(text, undefined);
      return;
    }
    const items = JSON.parse(text) as { type?: string; seq?: number; text?: string }[];
    for (const item of items) {
      if (item.type === 'message') onText(item.text ?? '', item.seq);
    }
  });
  return {
    opened,
    ended,
    send: (text) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(protocol === 'hubbub.v1' ? JSON.stringify({ type: 'send', text }) : text);
    },
    leave: () => {
      leaving = true;
      ws.close(1000);
    },
    destroy: () => {
      leaving = true;
      ws.terminate();
    },
  };
};
