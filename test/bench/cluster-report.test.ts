// How the cluster scenario is judged: the median run of each setup against one node with the
// memory engine, issue 13's goals, and a member short of a message in any run failing it.
import test from 'ava';
import {
  clusterChecks,
  clusterDeliveryFailures,
  clusterNotes,
  clusterTable,
  medianOf,
  redisUsPerMessage,
} from '../../bench/cluster-report.ts';
import type { ClusterResult, ClusterRun } from '../../bench/results.ts';
import { type ClusterSetupId, roomsShapes } from '../../bench/scenarios.ts';
import { stepResult } from './support/step-result.ts';

const shape = roomsShapes(0.5).wide;

const run = (
  setup: ClusterSetupId,
  round: number,
  usPerDelivery: number,
  p99Ms = 30,
): ClusterRun => ({
  setup,
  round,
  rooms: shape.connections / shape.roomSize,
  step: stepResult(usPerDelivery, p99Ms),
  membersComplete: 500,
  membersOwed: 500,
  misrouted: 0,
  disorder: 0,
  setupMs: 1_000,
  published: 6_250,
  ...(setup === 'memory' ? {} : { storeCpu: { us: 125_000, percent: 2.5 } }),
});

const result = (runs: ClusterRun[], failures: string[] = []): ClusterResult => ({
  scale: 0.5,
  shape,
  runs,
  failures,
  loadBefore: [0.5, 0.4, 0.3],
  commands: {},
});

const setups = (memory: number, redis: number, cluster: number, p99Ms = 30): ClusterRun[] => [
  run('memory', 1, memory),
  run('redis', 1, redis),
  run('cluster', 1, cluster, p99Ms),
];

test('the CPU goal passes at 1.5 times one node with the memory engine, and fails above', (t) => {
  const at = clusterChecks(result(setups(20, 25, 30)));
  t.deepEqual(
    at.map((check) => check.pass),
    [true, true, true, undefined],
  );
  t.regex(at[0]?.measured ?? '', /30\.00 µs ÷ 20\.00 µs = 1\.50×/);
  t.false(clusterChecks(result(setups(20, 25, 30.2)))[0]?.pass);
});

test('a p99 of 50 ms or more with two nodes fails the latency goal', (t) => {
  t.false(clusterChecks(result(setups(20, 25, 25, 50)))[1]?.pass);
  t.true(clusterChecks(result(setups(20, 25, 25, 49.9)))[1]?.pass);
});

test('Redis CPU per message is what Redis used over the messages published in the window', (t) => {
  const cluster = run('cluster', 1, 25);
  t.is(redisUsPerMessage(cluster), 20);
  t.is(redisUsPerMessage(run('memory', 1, 20)), undefined);
  const checks = clusterChecks(result(setups(20, 25, 25)));
  t.is(checks[3]?.measured, '20.0 µs / 20.0 µs');
});

test('a member short of a message, repeated or reordered, in any run of any setup, fails the scenario', (t) => {
  for (const fault of [{ membersComplete: 499 }, { misrouted: 1 }, { disorder: 1 }]) {
    // The faulty run is not the median one: every run counts.
    const runs = [...setups(20, 25, 25), { ...run('redis', 2, 40), ...fault }, run('redis', 3, 30)];
    t.is(medianOf(result(runs), 'redis')?.round, 3);
    const failures = clusterDeliveryFailures(result(runs));
    t.is(failures.length, 1, JSON.stringify(fault));
    t.regex(failures[0] ?? '', /^one node on Redis, round 2:/);
    t.false(clusterChecks(result(runs))[2]?.pass);
  }
  t.deepEqual(clusterDeliveryFailures(result(setups(20, 25, 25))), []);
});

test('a setup that could not run fails the scenario with the reason', (t) => {
  const failed = result(
    [run('memory', 1, 20)],
    ['cluster, two nodes on Redis, round 1 of 3 failed: 3 joins unanswered'],
  );
  const checks = clusterChecks(failed);
  t.true(checks.every((check) => check.pass === false));
  t.regex(checks[0]?.measured ?? '', /joins unanswered/);
  t.is(clusterDeliveryFailures(failed).length, 1);
  t.true(clusterNotes(failed).some((note) => note.includes('joins unanswered')));
  const missing = result([], ['redis-server not found at /usr/bin/redis-server']);
  t.false(clusterChecks(missing)[1]?.pass);
});

test('the table shows each setup once, with its ratio to one node with the memory engine and its Redis CPU', (t) => {
  const table = clusterTable(result([...setups(20, 30, 26), run('cluster', 2, 24)]));
  const rows = table.split('\n').slice(2);
  t.is(rows.length, 3);
  t.regex(rows[0] ?? '', /^\| one node, memory engine \|.* 20\.00 \| 1\.00× \|.* — \| — \|$/);
  t.regex(rows[1] ?? '', /^\| one node on Redis \|.* 30\.00 \| 1\.50× \|.* 20\.0 \| 3% \|$/);
  t.regex(rows[2] ?? '', /^\| two nodes on Redis \|.* 26\.00 \| 1\.30× \|/);
});

test('the notes say how busy the machine was as the scenario began', (t) => {
  const notes = clusterNotes(result(setups(20, 25, 25)));
  t.regex(notes[0] ?? '', /load average 0\.50, 0\.40, 0\.30/);
});
