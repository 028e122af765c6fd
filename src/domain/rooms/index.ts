export { type Dedupe, dedupe, dedupeKey, type FirstSend } from './dedupe.ts';
export {
  type CountChange,
  connectionsOf,
  countChanges,
  crossing,
  type Member,
  membersOf,
  type PresenceChange,
  presenceChanges,
} from './presence.ts';
export {
  changedHere,
  type Elsewhere,
  mergeMembers,
  type NodeCounts,
  type NodeReport,
  reportedElsewhere,
  totalOf,
} from './presence-across.ts';
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
export type {
  AcknowledgeRoom,
  JoinRoom,
  LeaveRoom,
  PublishToRoom,
  RegisterConnection,
  RoomsCommand,
  UnregisterConnection,
} from './rooms-command.ts';
export { decideRooms, joinRefusal } from './rooms-decide.ts';
export type {
  ConnectionOverflowed,
  ConnectionRegistered,
  ConnectionUnregistered,
  RoomAcknowledged,
  RoomBroadcast,
  RoomJoined,
  RoomLeft,
  RoomRenumbered,
  RoomsEvent,
} from './rooms-event.ts';
export { evolveRooms } from './rooms-evolve.ts';
export {
  type EmptyTable,
  initialRoomsState,
  pendingIn,
  type Room,
  type RoomConnection,
  type RoomsState,
} from './rooms-state.ts';
