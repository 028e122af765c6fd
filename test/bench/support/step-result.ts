// A measured step as the reports read it, for tests of how a scenario is judged.
import type { StepResult } from '../../../bench/load/measure.ts';

/** A clean step at 25k deliveries/s: every message delivered, the generator at ease. */
export const stepResult = (
  serverCpuUsPerDelivery: number,
  p99Ms: number,
  otherCpuPercent = 0,
): StepResult => ({
  rate: 25_000,
  achieved: 25_000,
  completeness: 1,
  expected: 125_000,
  delivered: 125_000,
  p50Ms: p99Ms / 2,
  p99Ms,
  maxMs: p99Ms,
  serverCpuUsPerDelivery,
  serverCpuPercent: 40,
  generatorCpuPercent: 30,
  generatorLoopP99Ms: 1,
  generatorUsPerRead: 10,
  sendLagP50Ms: 0.5,
  sendLagP99Ms: 1,
  otherCpuPercent,
  otherBusiest: undefined,
  saturated: undefined,
  deliveriesPerFrame: 1,
  evicted: 0,
  gaps: 0,
  failedConnections: 0,
});
