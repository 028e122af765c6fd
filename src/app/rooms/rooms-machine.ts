import {
  decideRooms,
  evolveRooms,
  type RoomsCommand,
  type RoomsEvent,
  type RoomsState,
} from '../../domain/rooms/index.ts';

export type RoomsEffect = (before: RoomsState, after: RoomsState, event: RoomsEvent) => void;

/**
 * Runs the pure rooms core: commands one at a time, in order (one issued by an effect waits
 * for the current one); each event is applied, shown to the listeners, then given its effect.
 */
export class RoomsMachine {
  private current: RoomsState;
  private readonly queue: RoomsCommand[] = [];
  private readonly listeners = new Set<(event: RoomsEvent) => void>();
  private executing = false;

  constructor(
    initial: RoomsState,
    private readonly effect: RoomsEffect,
    /** A listener threw: reported, and the others still hear of the event. */
    private readonly listenerFailed: (event: RoomsEvent['type'], error: unknown) => void,
  ) {
    this.current = initial;
  }

  get state(): RoomsState {
    return this.current;
  }

  /** Every event, in the order it was applied; returns an unsubscribe function. */
  subscribe(listener: (event: RoomsEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  execute(command: RoomsCommand): void {
    this.queue.push(command);
    if (this.executing) return;
    this.executing = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) this.apply(next);
    } finally {
      this.executing = false;
    }
  }

  private apply(command: RoomsCommand): void {
    for (const event of decideRooms(this.current, command)) {
      const before = this.current;
      this.current = evolveRooms(before, event);
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          this.listenerFailed(event.type, error);
        }
      }
      this.effect(before, this.current, event);
    }
  }
}
