// A TCP line client (`--tcp-port`): one message per line each way. The server's own lines
// (`error: ...`, `bye: ...`) are kept as the reason the connection ended.
import { connect } from 'node:net';
import type { Link, LinkEnd, LinkOptions } from './link.ts';

const SERVER_LINE = /^(error|bye): /;

export const tcpLink = (options: LinkOptions): Link => {
  const { target, kind, tally, onText } = options;
  const socket = connect({ host: '127.0.0.1', port: target.tcpPort, noDelay: true });
  let isOpen = false;
  let leaving = false;
  let serverSaid = '';
  let partial = '';
  socket.setEncoding('utf8');
  socket.on('error', () => {});
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      isOpen = true;
      tally.opened(kind);
      resolve();
    });
    socket.once('close', () => reject(new Error('closed before it opened')));
  });
  opened.catch(() => {});
  const ended = new Promise<LinkEnd>((resolve) => {
    socket.once('close', () => {
      if (isOpen) tally.closed(kind);
      else tally.failed(kind);
      resolve({ code: 'tcp', reason: serverSaid, byServer: !leaving });
    });
  });
  socket.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (SERVER_LINE.test(line)) serverSaid = line;
      else onText(line, undefined);
    }
  });
  return {
    opened,
    ended,
    send: (text) => {
      if (isOpen && !socket.destroyed) socket.write(`${text}\n`);
    },
    leave: () => {
      leaving = true;
      socket.end();
    },
    destroy: () => {
      leaving = true;
      socket.destroy();
    },
  };
};
