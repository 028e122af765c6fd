import type { Engine, SendDraft } from '../ports/engine.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import { refused, type SendResult } from './room-results.ts';

/**
 * Stores a message through the engine: refused past `--max-message-bytes`, `unavailable` (and
 * logged) when the engine fails, so nothing is acknowledged that was not stored.
 */
export const storeSend = async (
  engine: Engine,
  logger: Logger,
  maxMessageBytes: number,
  draft: SendDraft,
): Promise<SendResult> => {
  if (Buffer.byteLength(draft.text, 'utf8') > maxMessageBytes) return refused('message_too_large');
  try {
    const stored = await engine.publish(draft);
    return { kind: 'stored', seq: stored.message.seq, repeat: stored.repeat };
  } catch (error) {
    logger.error('send failed', { room: draft.room, error: String(error) });
    return refused('unavailable');
  }
};
