import { randomUUID } from 'node:crypto';

/** This process among those sharing a Redis: its id, and the epochs it would give new rooms. */
export class NodeIdentity {
  /** Random per process start: a restarted process is another node. */
  readonly id = randomUUID().slice(0, 12);
  private epochs = 0;

  /**
   * The epoch a room gets if the call it is passed to makes the room: this process's id and a
   * count, unique among processes and Redis lifetimes without a random draw per publish.
   */
  newEpoch(): string {
    this.epochs += 1;
    return `${this.id.replace('-', '')}${this.epochs.toString(36)}`;
  }
}
