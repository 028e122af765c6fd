import type { ChatClient } from '../client/index.ts';
import type { MessageLog } from './message-log.ts';

/** How close to the top (px) the reader scrolls before older messages are fetched. */
const NEAR_TOP = 120;
const PAGE = 50;

/**
 * Older messages on demand: scrolling to the top of the log (or the button there) fetches
 * the 50 before the first shown, until the room's first message or the end of its history.
 */
export class OlderMessages {
  private client: ChatClient | undefined;
  private room = '';
  private epoch: () => string | undefined = () => undefined;
  private loading = false;
  /** The server keeps nothing older than the first message shown. */
  private exhausted = false;
  /** The room has answered the join: an empty log is an empty room. */
  private joined = false;

  constructor(
    scroller: HTMLElement,
    private readonly button: HTMLButtonElement,
    private readonly note: HTMLElement,
    private readonly log: MessageLog,
  ) {
    scroller.addEventListener('scroll', () => {
      if (scroller.scrollTop < NEAR_TOP) this.load();
    });
    button.addEventListener('click', () => this.load());
  }

  follow(client: ChatClient, room: string, epoch: () => string | undefined): void {
    this.client = client;
    this.room = room;
    this.epoch = epoch;
    this.exhausted = false;
    this.loading = false;
    this.joined = false;
    this.update();
  }

  /** The room answered the join. */
  entered(): void {
    this.joined = true;
    this.update();
  }

  stop(): void {
    this.client = undefined;
    this.update();
  }

  /** A message came: what there is to load may have changed. */
  arrived(): void {
    this.update();
  }

  private canLoad(): boolean {
    const oldest = this.log.oldest();
    return (
      this.client !== undefined &&
      !this.exhausted &&
      oldest !== undefined &&
      oldest.epoch === this.epoch() &&
      oldest.seq > 1
    );
  }

  private load(): void {
    const { client, room } = this;
    const oldest = this.log.oldest();
    if (this.loading || client === undefined || oldest === undefined || !this.canLoad()) return;
    this.loading = true;
    this.update();
    client
      .history(room, { before: oldest.seq, limit: PAGE })
      .then((messages) => {
        if (this.client !== client || this.room !== room) return;
        const older = messages.filter((message) => !this.log.has(message));
        this.log.prepend(older, (message) => message.from === client.name);
        // Fewer than asked for, and not down to seq 1: the server no longer has the rest.
        if (older.length < PAGE) this.exhausted = true;
      })
      .catch(() => {
        // Offline or refused: the next scroll to the top tries again.
      })
      .finally(() => {
        this.loading = false;
        this.update();
      });
  }

  private update(): void {
    const oldest = this.log.oldest();
    const loadable = this.canLoad();
    this.button.hidden = !loadable;
    this.button.disabled = this.loading;
    this.button.textContent = this.loading ? 'Loading older messages…' : 'Load older messages';
    let note = '';
    if (this.client !== undefined && this.joined && oldest === undefined)
      note = `No messages in #${this.room} yet. Say hello!`;
    else if (this.client !== undefined && oldest?.seq === 1)
      note = `This is the start of #${this.room}.`;
    else if (this.client !== undefined && oldest !== undefined && !loadable)
      note = 'Older messages are no longer kept.';
    this.note.textContent = note;
    this.note.hidden = note === '';
  }
}
