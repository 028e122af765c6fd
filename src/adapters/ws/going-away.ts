import type { WebSocket } from 'ws';
import { closeWithin } from '../kit/closing.ts';
import { CloseCode, CloseReason } from './close-codes.ts';

/** 1001 to `ws`; resolves once it has closed, cutting the socket if the client takes too long. */
export const closeGoingAway = (ws: WebSocket): Promise<void> =>
  closeWithin(
    ws,
    ws.readyState === ws.CLOSED,
    () => ws.terminate(),
    () => {
      if (ws.readyState === ws.OPEN) ws.close(CloseCode.GoingAway, CloseReason.shuttingDown);
    },
  );
