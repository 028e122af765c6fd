// One step of scenarios A and B: fresh connections, every one of which receives every message,
// and a paced measure window on them (measure.ts).

import { measurePaced, type StepResult, type Timing } from './measure.ts';
import { closeClients, openClients } from './open.ts';
import type { Protocol } from './protocols.ts';
import { Recorder } from './recorder.ts';

export type StepPlan = Timing & {
  port: number;
  serverPid: number;
  protocol: Protocol;
  clients: number;
  senders: number;
  /** Deliveries per second: messages per second times receivers (every client receives). */
  rate: number;
};

export const runStep = async (plan: StepPlan): Promise<StepResult> => {
  const recorder = new Recorder(plan.clients, plan.senders);
  const { clients, failed } = await openClients({
    port: plan.port,
    count: plan.clients,
    protocol: plan.protocol,
    inFlight: 200,
    recorder,
    timeoutMs: 20_000,
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { step } = await measurePaced({
      ...plan,
      serverPids: [plan.serverPid],
      clients,
      senders: clients.slice(0, plan.senders),
      messagesPerSecond: plan.rate / plan.clients,
      receiversPerMessage: plan.clients,
      recorder,
      failedConnections: failed,
    });
    return step;
  } finally {
    await closeClients(clients);
  }
};
