// One step's figures on one line, for the progress `npm run bench` prints as it goes.
import { ms, percent, rate } from './format.ts';
import type { StepResult } from './load/measure.ts';
import type { RoomsMeasurement } from './load/rooms-step.ts';

export const stepLine = (step: StepResult): string =>
  `delivered ${rate(step.achieved)}/s, ${percent(step.completeness)} complete, p50 ${ms(step.p50Ms)} ms, ` +
  `p99 ${ms(step.p99Ms)} ms, ${step.serverCpuUsPerDelivery.toFixed(2)} µs/delivery (server ${step.serverCpuPercent.toFixed(0)}%), ` +
  `${step.deliveriesPerFrame.toFixed(1)}/frame, evicted ${step.evicted}, generator ${step.saturated === undefined ? 'ok' : `SATURATED (${step.saturated})`}: CPU ${step.generatorCpuPercent.toFixed(0)}% (${step.generatorUsPerRead.toFixed(1)} µs/read), loop p99 ${ms(step.generatorLoopP99Ms)} ms, send lag p50/p99 ${ms(step.sendLagP50Ms)}/${ms(step.sendLagP99Ms)} ms, other ${step.otherCpuPercent.toFixed(0)}%${step.otherBusiest === undefined ? '' : ` (busiest: ${step.otherBusiest})`}`;

/** A run of the rooms load: its set-up, who got every message, then its step. */
export const roomsLine = (measured: RoomsMeasurement): string =>
  `set up in ${(measured.setupMs / 1000).toFixed(1)} s; ${measured.membersComplete} of ${measured.membersOwed} members got every message, ${measured.misrouted} misrouted, ${measured.disorder} repeated or reordered; ${stepLine(measured.step)}`;
