import fc from 'fast-check';
import {
  type ConnectionId,
  type DepartureReason,
  decide,
  evolve,
  type HubCommand,
  type HubEvent,
  type HubState,
} from '../../src/domain/index.ts';
import { emptyHub } from './fixtures.ts';

/**
 * fast-check's default report (seed, replay path, shrunk counterexample) plus the failing
 * assertion's message inline: ava shows the thrown Error's message but not its `cause`.
 */
export const report = { includeErrorInReport: true } as const;

/** A small pool, so registrations, departures and acknowledgements keep meeting the same ids. */
export const connectionIds: readonly ConnectionId[] = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'];

export const connectionId = fc.constantFrom(...connectionIds);
export const capacity = fc.integer({ min: 1, max: 8 });
export const callerReason = fc.constantFrom<DepartureReason>(
  'left',
  'dropped',
  'shutdown',
  'send_buffer_full',
  'pong_timeout',
  'write_timeout',
  'rate_limited',
  'message_too_large',
  'invalid_message',
  'protocol_error',
);

/**
 * What a caller means to do; `toCommand` turns it into a valid command for the current state
 * (Publish gets seq = head + 1, Acknowledge gets an upTo between the cursor and the head).
 * `detail` and `from` are kept as present-but-undefined keys on purpose: decide must drop them.
 */
export type Intent =
  | { kind: 'register'; connectionId: ConnectionId }
  | {
      kind: 'unregister';
      connectionId: ConnectionId;
      reason: DepartureReason;
      detail: string | undefined;
    }
  | { kind: 'publish'; text: string; from: ConnectionId | undefined }
  /** Publish a seq that was already applied (a log redelivering), `back` steps behind the head. */
  | { kind: 'redeliver'; back: number }
  /** Acknowledge `take` more of the pending broadcasts (0: a stale ack at the cursor). */
  | { kind: 'acknowledge'; connectionId: ConnectionId; take: number }
  /** As `acknowledge`, from the `pick`-th registered connection (most acks come from live ones). */
  | { kind: 'keepUp'; pick: number; take: number };

export const intent: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('register'), connectionId }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('unregister'),
      connectionId,
      reason: callerReason,
      detail: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('publish'),
      text: fc.string({ maxLength: 8 }),
      from: fc.option(connectionId, { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeliver'), back: fc.nat(4) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('acknowledge'), connectionId, take: fc.nat(9) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('keepUp'), pick: fc.nat(5), take: fc.nat(9) }),
  },
);

export type Scenario = { capacity: number; intents: Intent[] };

export const scenario: fc.Arbitrary<Scenario> = fc.record({
  capacity,
  intents: fc.array(intent, { maxLength: 80, size: 'max' }),
});

export const toCommand = (state: HubState, wanted: Intent, at: number): HubCommand => {
  switch (wanted.kind) {
    case 'register':
      return { type: 'Register', connectionId: wanted.connectionId, at };
    case 'unregister':
      return {
        type: 'Unregister',
        connectionId: wanted.connectionId,
        reason: wanted.reason,
        detail: wanted.detail,
        at,
      };
    case 'publish':
      return { type: 'Publish', seq: state.head + 1, text: wanted.text, from: wanted.from, at };
    case 'redeliver':
      return { type: 'Publish', seq: Math.max(0, state.head - wanted.back), text: 'again', at };
    case 'acknowledge': {
      const cursor = state.connections.get(wanted.connectionId)?.cursor ?? 0;
      const upTo = cursor + (wanted.take % (state.head - cursor + 1));
      return { type: 'Acknowledge', connectionId: wanted.connectionId, upTo, at };
    }
    case 'keepUp': {
      const live = [...state.connections.keys()];
      const connectionId =
        live[wanted.pick % Math.max(1, live.length)] ??
        (connectionIds[wanted.pick % connectionIds.length] as ConnectionId);
      return toCommand(state, { kind: 'acknowledge', connectionId, take: wanted.take }, at);
    }
  }
};

/** One command through the decider: the state it met, the events it produced, the state after. */
export type Step = {
  command: HubCommand;
  before: HubState;
  events: readonly HubEvent[];
  after: HubState;
};

/** `states[i]` is the state right after `events[i]`; `initial` is the state before them all. */
export type Trace = {
  initial: HubState;
  steps: Step[];
  events: HubEvent[];
  states: HubState[];
  final: HubState;
};

/** Runs the scenario through decide + evolve, recording every event and intermediate state. */
export const drive = ({ capacity, intents }: Scenario): Trace => {
  const initial = emptyHub(capacity);
  const trace: Trace = { initial, steps: [], events: [], states: [], final: initial };
  intents.forEach((wanted, at) => {
    const before = trace.final;
    const command = toCommand(before, wanted, at);
    const events = decide(before, command);
    let after = before;
    for (const event of events) {
      after = evolve(after, event);
      trace.events.push(event);
      trace.states.push(after);
    }
    trace.steps.push({ command, before, events, after });
    trace.final = after;
  });
  return trace;
};

/** The state just before `trace.events[i]`. */
export const stateBefore = (trace: Trace, i: number): HubState =>
  i === 0 ? trace.initial : (trace.states[i - 1] as HubState);
