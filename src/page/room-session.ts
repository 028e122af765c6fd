import {
  type ChatClient,
  type ChatMessage,
  HubbubError,
  type JoinedRoom,
} from '../client/index.ts';
import type { MembersView } from './members-view.ts';
import type { MessageLog } from './message-log.ts';
import type { OlderMessages } from './older-messages.ts';
import type { PendingSends } from './pending-sends.ts';

/** How many messages a join shows, and each scroll to the top adds. */
export const PAGE_SIZE = 50;

export type RoomViews = Readonly<{
  log: MessageLog;
  pending: PendingSends;
  members: MembersView;
  older: OlderMessages;
}>;

const reasonOf = (error: unknown): string =>
  error instanceof HubbubError ? error.message : 'the message could not be sent';

/**
 * The page in one room on one client: the last messages on join, live ones after, resumes
 * told truthfully, members, and our sends from pending to stored. `close` leaves the room.
 */
export class RoomSession {
  private readonly stop: Array<() => void> = [];
  private epoch: string | undefined;

  constructor(
    private readonly client: ChatClient,
    readonly room: string,
    private readonly views: RoomViews,
  ) {
    views.log.clear();
    views.pending.clear();
    views.members.show([], client.name);
    this.stop.push(
      client.on('message', (message) => {
        if (message.room === room) this.arrived(message);
      }),
      client.on('joined', (joined) => {
        if (joined.room === room) this.joined(joined);
      }),
      client.on('members', (inRoom, members) => {
        if (inRoom === room) views.members.show(members, client.name);
      }),
    );
    views.older.follow(client, room, () => this.epoch);
    client.join(room, { history: PAGE_SIZE }).catch((error: unknown) => {
      views.log.notice(`Could not join #${room}: ${reasonOf(error)}`);
    });
  }

  send(text: string): void {
    const pending = this.views.pending.add(this.client.name, text);
    this.client.send(this.room, text).then(
      ({ seq }) => {
        const position = { epoch: this.epoch ?? '', seq };
        pending.stored(position, this.views.log.has(position));
      },
      (error: unknown) => pending.refused(reasonOf(error)),
    );
  }

  close(): void {
    for (const stop of this.stop.splice(0)) stop();
    this.views.older.stop();
    this.client.leave(this.room);
  }

  private joined(joined: JoinedRoom): void {
    const previous = this.epoch;
    this.epoch = joined.epoch;
    this.views.members.show(joined.members, this.client.name);
    this.views.older.entered();
    if (previous === undefined || joined.recovered !== false) return;
    this.views.log.notice(
      previous !== this.epoch
        ? 'Reconnected. The server restarted: messages sent before it did are no longer kept there.'
        : 'Reconnected, but some messages sent while you were away are no longer kept: they are missing here.',
    );
  }

  private arrived(message: ChatMessage): void {
    if (this.epoch !== undefined && message.epoch !== this.epoch) {
      // The server lost the room while we were in it (its store restarted): numbering restarts.
      this.epoch = message.epoch;
      this.views.log.notice(
        'The server lost the earlier messages of this room: they are no longer kept there.',
      );
    }
    this.views.log.append(message, message.from === this.client.name);
    this.views.pending.arrived(message);
    this.views.older.arrived();
  }
}
