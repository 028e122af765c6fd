import type { RoomPosition } from '../../domain/rooms/index.ts';
import { isRoomName } from '../../domain/rooms/index.ts';
import { CloseCode } from './close-codes.ts';

/** The subprotocol name of rooms, history and resume (PROTOCOL-v2). */
export const HUBBUB_V2 = 'hubbub.v2';

/** `history` without a `limit` (PROTOCOL-v2), and the most one page may ask for. */
export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 1_000;

/** The largest v2 frame: the text may be escaped 6 bytes per byte, plus 1 KiB of envelope. */
export const maxV2FrameBytes = (maxMessageBytes: number): number => 6 * maxMessageBytes + 1_024;

export type V2Command =
  | Readonly<{ type: 'join'; room: string; history?: number; since?: RoomPosition }>
  | Readonly<{ type: 'leave'; room: string }>
  | Readonly<{ type: 'send'; room: string; text: string; id?: string }>
  | Readonly<{ type: 'history'; room: string; before?: number; limit: number }>
  | Readonly<{ type: 'members'; room: string }>;

export type V2ErrorReason =
  | 'bad_command'
  | 'bad_room'
  | 'not_joined'
  | 'too_many_rooms'
  | 'message_too_large'
  | 'unknown_type'
  | 'unavailable';

/** A refused command: the connection stays open and gets an `error` item. */
export type V2Refusal = Readonly<{
  for: string;
  reason: V2ErrorReason;
  message: string;
  room?: string;
  id?: string;
}>;

export type V2Frame =
  | Readonly<{ kind: 'command'; command: V2Command }>
  | Readonly<{ kind: 'refused'; refusal: V2Refusal }>
  /** Not a JSON object: the connection is closed, as in v1. */
  | Readonly<{ kind: 'invalid'; code: number; reason: string }>;

const TYPES = new Set(['join', 'leave', 'send', 'history', 'members']);

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const isClientId = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= 64;

const isPosition = (value: unknown): value is RoomPosition => {
  if (typeof value !== 'object' || value === null) return false;
  const { epoch, seq } = value as { epoch?: unknown; seq?: unknown };
  return typeof epoch === 'string' && epoch.length > 0 && isCount(seq);
};

/** Reads one client frame of hubbub.v2: a command, a refusal to answer, or a reason to close. */
export const parseV2Frame = (data: string, maxMessageBytes: number): V2Frame => {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { kind: 'invalid', code: CloseCode.InvalidPayload, reason: 'invalid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', code: CloseCode.PolicyViolation, reason: 'expected a JSON object' };
  }
  const fields = value as Record<string, unknown>;
  const type = typeof fields.type === 'string' ? fields.type : '';
  const id = isClientId(fields.id) ? fields.id : undefined;
  const room = typeof fields.room === 'string' ? fields.room : undefined;
  const refuse = (reason: V2ErrorReason, message: string): V2Frame => ({
    kind: 'refused',
    refusal: {
      for: type,
      reason,
      message,
      ...(room === undefined ? {} : { room }),
      ...(id === undefined ? {} : { id }),
    },
  });
  if (!TYPES.has(type))
    return refuse('unknown_type', `unknown command type "${type.slice(0, 40)}"`);
  if (room === undefined) return refuse('bad_command', `${type} needs a string room`);
  if (!isRoomName(room))
    return refuse('bad_room', 'room names are 1-64 of A-Z a-z 0-9 . _ : - (not first)');
  return commandOf(type, room, fields, maxMessageBytes, refuse);
};

const commandOf = (
  type: string,
  room: string,
  fields: Record<string, unknown>,
  maxMessageBytes: number,
  refuse: (reason: V2ErrorReason, message: string) => V2Frame,
): V2Frame => {
  const command = (value: V2Command): V2Frame => ({ kind: 'command', command: value });
  switch (type) {
    case 'join': {
      const { history, since } = fields;
      if (history !== undefined && !isCount(history))
        return refuse('bad_command', 'history must be a count');
      if (since !== undefined && !isPosition(since))
        return refuse('bad_command', 'since must be {epoch, seq}');
      return command({
        type: 'join',
        room,
        ...(history === undefined ? {} : { history }),
        ...(since === undefined ? {} : { since: { epoch: since.epoch, seq: since.seq } }),
      });
    }
    case 'send': {
      const { text, id } = fields;
      if (typeof text !== 'string') return refuse('bad_command', 'send needs a string text');
      if (id !== undefined && !isClientId(id))
        return refuse('bad_command', 'id must be 1-64 characters');
      if (Buffer.byteLength(text, 'utf8') > maxMessageBytes) {
        return refuse('message_too_large', `text is over ${maxMessageBytes} bytes`);
      }
      return command({ type: 'send', room, text, ...(id === undefined ? {} : { id }) });
    }
    case 'history': {
      const { before, limit = DEFAULT_HISTORY_LIMIT } = fields;
      if (before !== undefined && !isCount(before))
        return refuse('bad_command', 'before must be a seq');
      if (!isCount(limit)) return refuse('bad_command', 'limit must be a count');
      return command({
        type: 'history',
        room,
        limit: Math.min(limit, MAX_HISTORY_LIMIT),
        ...(before === undefined ? {} : { before }),
      });
    }
    case 'leave':
      return command({ type: 'leave', room });
    default:
      return command({ type: 'members', room });
  }
};
