export { type Dedupe, dedupe, dedupeKey, type FirstSend } from './dedupe.ts';
export {
  canRecover,
  type JoinRequest,
  type Recovery,
  type RoomWindow,
  recover,
} from './recovery.ts';
export {
  DEFAULT_ROOM,
  type Epoch,
  isRoomName,
  isUserName,
  type RoomName,
  type RoomPosition,
} from './room-vocabulary.ts';
