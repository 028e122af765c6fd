import type { ConnectionId, Seq } from '../domain/index.ts';
import type { LoggedMessage } from './ports/message-log.port.ts';
import type { PublishResult, Session, TransportDeparture } from './session.ts';

/** What sessions call; one object for the hub, so a connection costs no closures of its own. */
export type SessionHost = Readonly<{
  hasPeer(id: ConnectionId): boolean;
  head(): Seq;
  publish(id: ConnectionId, text: string): PublishResult;
  read(after: Seq, max: number): readonly LoggedMessage[];
  acknowledge(id: ConnectionId, upTo: Seq): void;
  leave(id: ConnectionId, reason: TransportDeparture, detail?: string): void;
}>;

/** A connection's handle on the hub: its id and where it joined, nothing else. */
export class HubSession implements Session {
  constructor(
    private readonly host: SessionHost,
    readonly id: ConnectionId,
    readonly joinedAfter: Seq,
  ) {}

  get isOpen(): boolean {
    return this.host.hasPeer(this.id);
  }

  get head(): Seq {
    return this.host.head();
  }

  publish(text: string): PublishResult {
    return this.host.publish(this.id, text);
  }

  read(after: Seq, max: number): readonly LoggedMessage[] {
    return this.host.read(after, max);
  }

  acknowledge(upTo: Seq): void {
    this.host.acknowledge(this.id, upTo);
  }

  leave(reason: TransportDeparture, detail?: string): void {
    this.host.leave(this.id, reason, detail);
  }
}
