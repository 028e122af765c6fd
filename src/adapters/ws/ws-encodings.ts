import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Seq } from '../../domain/index.ts';
import type { WriteDone } from '../kit/delivery.ts';
import { encodedAs, type Outbound } from '../kit/outbound-cache.ts';
import { writeEach } from '../kit/write-each.ts';
import { PLAIN_FRAME } from './frames.ts';
import { V1_ITEM } from './hubbub-v1.ts';
import type { WireProtocol } from './inbound.ts';
import type { V1Batches } from './v1-batches.ts';

/** How a WebSocket connection puts broadcasts on the wire; shared by its kind of connection. */
export type WsWire = Readonly<{
  protocol: WireProtocol;
  /** permessage-deflate was negotiated: frames go through ws's encoder, per connection. */
  deflate: boolean;
  batches: V1Batches;
}>;

/** The bytes a broadcast adds to a write (before compression, with deflate). */
export const sizeOn = (wire: WsWire, outbound: Outbound): number => {
  if (wire.deflate) return Buffer.byteLength(outbound.text) + 2;
  return wire.protocol === 'plain'
    ? encodedAs(outbound, PLAIN_FRAME).length
    : encodedAs(outbound, V1_ITEM).length + 1;
};

/**
 * Writes an outbox: plain connections in one corked write of the shared frames, hubbub.v1
 * connections as one frame holding every message (shared by connections at the same place),
 * deflated ones through ws's encoder. Returns the bytes written (before compression).
 */
export const writeOutboxTo = (
  ws: WebSocket,
  socket: Socket,
  wire: WsWire,
  outbox: readonly Outbound[],
  bytes: number,
  head: Seq,
  done: WriteDone,
): number => {
  if (wire.deflate) {
    writeThroughWs(ws, wire.protocol, outbox, done);
    return bytes;
  }
  if (wire.protocol === 'hubbub.v1') {
    const frame = wire.batches.frameOf(outbox, bytes - outbox.length, head);
    socket.write(frame, done);
    return frame.length;
  }
  writeEach(socket, outbox, PLAIN_FRAME, done);
  return bytes;
};

const writeThroughWs = (
  ws: WebSocket,
  protocol: WireProtocol,
  outbox: readonly Outbound[],
  done: WriteDone,
): void => {
  if (protocol === 'hubbub.v1') {
    const items = outbox.map((outbound) => encodedAs(outbound, V1_ITEM).toString());
    ws.send(`[${items.join(',')}]`, done);
    return;
  }
  const last = outbox.length - 1;
  for (let i = 0; i < last; i++) ws.send((outbox[i] as Outbound).text);
  ws.send((outbox[last] as Outbound).text, done);
};
