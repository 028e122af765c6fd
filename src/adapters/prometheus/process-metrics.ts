import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/**
 * Node's own figures (event-loop lag, heap, RSS, CPU, handles), once per process: they describe
 * the process, not one server, and each collection starts an event-loop monitor that cannot
 * be stopped, so every server in the process shares this one.
 */
export const processMetrics = (): Registry => {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
};
