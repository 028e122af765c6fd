// One run of the rooms scenario: hubbub.v2 connections opened and joined to their rooms in
// bounded batches, then a paced measure window (measure.ts) with one sender per active room,
// and a count of the members that got every message their room's sender sent. The connections
// may be spread over several servers sharing a store (the cluster scenario).
import { performance } from 'node:perf_hooks';
import { waitUntilQuiet } from '../proc-stats.ts';
import type { BenchClient } from './client.ts';
import {
  measurePaced,
  type SharedStore,
  type StepResult,
  type StoreCpu,
  type Timing,
} from './measure.ts';
import { closeClients, openClients } from './open.ts';
import { Recorder } from './recorder.ts';
import { nodeOf, type RoomsShape, roomsLayout } from './rooms-layout.ts';

export type RoomsPlan = Timing & {
  /** One port per server: the members of each room are split between them (`nodeOf`). */
  ports: readonly number[];
  serverPids: readonly number[];
  store?: SharedStore;
  shape: RoomsShape;
  messagesPerSender: number;
  joinBatch: number;
};

export type RoomsMeasurement = {
  step: StepResult;
  rooms: number;
  /** Members of active rooms that received every message of their room's sender, in order
   * (from the first, sent in the warm-up, to the last). */
  membersComplete: number;
  membersOwed: number;
  /** Deliveries to a connection outside the sender's room. */
  misrouted: number;
  /** Deliveries of a message a member already had, or after a later one. */
  disorder: number;
  /** Opening and joining every connection, in ms. */
  setupMs: number;
  /** Messages sent in the measure window. */
  published: number;
  /** The shared store's CPU in the measure window (only with a store). */
  storeCpu?: StoreCpu;
};

/** For every join of a run together: ample for 10,000 on a busy machine. */
const JOIN_TIMEOUT_MS = 60_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Joins `batch` connections at a time, each batch's answers awaited. */
const joinRooms = async (
  clients: readonly BenchClient[],
  roomNames: readonly string[],
  batch: number,
): Promise<void> => {
  const deadline = performance.now() + JOIN_TIMEOUT_MS;
  for (let from = 0; from < clients.length; from += batch) {
    const slice = clients.slice(from, from + batch);
    for (const client of slice) {
      if (!client.join(roomNames[client.index] as string)) {
        throw new Error(`connection ${client.index} is closed or speaks no hubbub.v2`);
      }
    }
    const waiting = () => slice.filter((c) => !c.joined && c.joinRefused === undefined).length;
    while (waiting() > 0 && performance.now() < deadline) await sleep(5);
    if (waiting() > 0) throw new Error(`${waiting()} joins unanswered after ${JOIN_TIMEOUT_MS} ms`);
    const refused = slice.find((client) => client.joinRefused !== undefined);
    if (refused !== undefined) throw new Error(`join refused: ${refused.joinRefused}`);
    const odd = slice.find((client) => client.mismatch !== undefined);
    if (odd !== undefined) throw new Error(`not hubbub.v2 as expected: ${odd.mismatch}`);
  }
};

export const runRoomsStep = async (plan: RoomsPlan): Promise<RoomsMeasurement> => {
  const { connections, roomSize, activeRooms } = plan.shape;
  const layout = roomsLayout(plan.shape);
  const serverOf = nodeOf(plan.shape, plan.ports.length);
  const recorder = new Recorder(connections, activeRooms, layout.senderOf);
  const started = performance.now();
  const { clients, failed } = await openClients({
    port: plan.ports[0] as number,
    portOf: (index) => plan.ports[serverOf(index)] as number,
    count: connections,
    protocol: 'v2',
    inFlight: 200,
    recorder,
    timeoutMs: 60_000,
  });
  try {
    if (failed > 0) throw new Error(`${failed} of ${connections} connections did not open`);
    await joinRooms(clients, layout.roomNames, plan.joinBatch);
    const setupMs = performance.now() - started;
    // The joins' presence items (member_joined to the earlier members) are over before pacing.
    for (const pid of plan.serverPids) await waitUntilQuiet(pid, 5_000);
    const senders = layout.senders.map((index) => clients[index] as BenchClient);
    const messagesPerSecond = activeRooms * plan.messagesPerSender;
    const { step, pacer, storeCpu } = await measurePaced({
      ...plan,
      clients,
      senders,
      rate: messagesPerSecond * roomSize,
      messagesPerSecond,
      receiversPerMessage: roomSize,
      recorder,
      failedConnections: failed,
    });
    let membersComplete = 0;
    for (let member = 0; member < connections; member++) {
      const sender = layout.senderOf[member] as number;
      if (sender < 0) continue;
      if (recorder.inOrder(member, sender) === pacer.sentBy(sender)) membersComplete++;
    }
    return {
      step,
      rooms: layout.rooms,
      membersComplete,
      membersOwed: activeRooms * roomSize,
      misrouted: recorder.misrouted,
      disorder: recorder.disorder,
      setupMs,
      published: pacer.sentCounted,
      ...(storeCpu === undefined ? {} : { storeCpu }),
    };
  } finally {
    await closeClients(clients);
  }
};
