import type { ConnectionId } from '../../domain/index.ts';
import {
  changedHere,
  connectionsOf,
  countChanges,
  type Member,
  membersOf,
  mergeMembers,
  type NodeCounts,
  type PresenceChange,
  type RoomName,
  type RoomsEvent,
  type RoomsState,
  reportedElsewhere,
} from '../../domain/rooms/index.ts';
import type { Engine, NodePresence } from '../ports/engine.port.ts';
import { PresenceAudience } from './presence-audience.ts';
import type { RoomPeer } from './room-peer.ts';

/**
 * Who is in each room across processes, and who is told of it: this process's members (the
 * core's) with the other processes' (as the engine reports them while the room has a feed
 * here). This process's counts go to the engine as they change, and a room's audience is told
 * when a name's total across processes goes from none to some, or back.
 */
export class RoomsPresence {
  /** Per room watched, the other processes' connections of each name. */
  private readonly elsewhere = new Map<RoomName, Map<string, NodeCounts>>();
  private readonly audience: PresenceAudience;

  constructor(
    private readonly engine: Engine,
    private readonly peers: ReadonlyMap<ConnectionId, RoomPeer>,
    private readonly state: () => RoomsState,
  ) {
    this.audience = new PresenceAudience((id) => peers.get(id)?.showsPresence === true);
  }

  /** The members of `room` on every process, sorted by name. */
  members(room: RoomName): readonly Member[] {
    return mergeMembers(membersOf(this.state(), room), this.elsewhere.get(room));
  }

  /** An event of the core: the counts it changes announced, and presence told on the totals. */
  follow(before: RoomsState, after: RoomsState, event: RoomsEvent): void {
    const cause = 'connectionId' in event ? event.connectionId : undefined;
    for (const count of countChanges(before, after, event)) {
      // Told before the engine hears of it: whatever the engine reports back comes after.
      const change = changedHere(count, this.elsewhere.get(count.room)?.get(count.name));
      if (change !== undefined) this.tell(change, cause);
      this.engine.announce(count.room, count.name, count.is);
    }
    this.audience.follow(before, event);
  }

  /** Follows the other processes' presence in `room` until the returned call. */
  watch(room: RoomName): () => void {
    const names = new Map<string, NodeCounts>();
    this.elsewhere.set(room, names);
    const stop = this.engine.watchPresence(room, (report) => {
      if (this.elsewhere.get(room) === names) this.reported(names, { ...report, room });
    });
    return () => {
      stop();
      if (this.elsewhere.get(room) === names) this.elsewhere.delete(room);
    };
  }

  private reported(names: Map<string, NodeCounts>, report: NodePresence): void {
    const here = connectionsOf(this.state(), report.room, report.name);
    const { counts, change } = reportedElsewhere(names.get(report.name), report, here);
    if (counts.size > 0) names.set(report.name, counts);
    else names.delete(report.name);
    if (change !== undefined) this.tell(change);
  }

  /** To the room's audience here, but the connection whose event it is. */
  private tell(change: PresenceChange, cause?: ConnectionId): void {
    for (const member of this.audience.of(change.room) ?? []) {
      if (member !== cause) this.peers.get(member)?.presence(change);
    }
  }
}
