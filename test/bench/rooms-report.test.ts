// How the rooms scenario is judged: the median run of each hub and issue 12's goals.
import test from 'ava';
import type { RoomsResult, RoomsRun } from '../../bench/results.ts';
import { medianRun, roomsChecks, roomsNotes, roomsTable } from '../../bench/rooms-report.ts';
import { roomsShapes } from '../../bench/scenarios.ts';
import { stepResult } from './support/step-result.ts';

const run = (hub: RoomsRun['hub'], round: number, usPerDelivery: number, p99Ms = 30): RoomsRun => {
  const shape = roomsShapes(1)[hub];
  return {
    hub,
    round,
    shape,
    rooms: shape.connections / shape.roomSize,
    step: stepResult(usPerDelivery, p99Ms),
    membersComplete: 1_000,
    membersOwed: 1_000,
    misrouted: 0,
    disorder: 0,
    setupMs: 1_000,
    published: 12_500,
  };
};

const result = (runs: RoomsRun[]): RoomsResult => ({ scale: 1, runs, failures: [] });

test('the median run of a hub is the middle one by CPU per delivery', (t) => {
  const runs = [run('wide', 1, 9), run('narrow', 1, 5), run('wide', 2, 7), run('wide', 3, 8)];
  t.is(medianRun(runs, 'wide')?.round, 3);
  t.is(medianRun(runs, 'narrow')?.round, 1);
  t.is(medianRun([], 'wide'), undefined);
});

test('the CPU goal passes at 1.1 times the active rooms alone, and fails above', (t) => {
  const at = roomsChecks(result([run('wide', 1, 11), run('narrow', 1, 10)]));
  t.deepEqual(
    at.map((check) => check.pass),
    [true, true, true],
  );
  t.regex(at[0]?.measured ?? '', /= 1\.10×/);
  const above = roomsChecks(result([run('wide', 1, 11.2), run('narrow', 1, 10)]));
  t.false(above[0]?.pass);
});

test('a p99 of 100 ms or more in either hub fails the latency goal', (t) => {
  const checks = roomsChecks(result([run('wide', 1, 10, 100), run('narrow', 1, 10, 20)]));
  t.false(checks[1]?.pass);
  t.true(checks[0]?.pass);
});

test('a member short of a message, a misrouted or a repeated delivery fails completeness', (t) => {
  for (const fault of [{ membersComplete: 999 }, { misrouted: 1 }, { disorder: 1 }]) {
    const checks = roomsChecks(result([{ ...run('wide', 1, 10), ...fault }, run('narrow', 1, 10)]));
    t.false(checks[2]?.pass, JSON.stringify(fault));
  }
});

test('a hub with no run fails the scenario with the reasons', (t) => {
  const failed: RoomsResult = {
    scale: 1,
    runs: [run('narrow', 1, 10)],
    failures: ['rooms wide, round 1 of 3 failed: 12 of 10000 connections did not open'],
  };
  const checks = roomsChecks(failed);
  t.is(checks.length, 1);
  t.false(checks[0]?.pass);
  t.regex(checks[0]?.measured ?? '', /did not open/);
  t.true(roomsNotes(failed).some((note) => note.includes('did not open')));
});

test('the table shows each hub once, with its ratio to the active rooms alone', (t) => {
  const table = roomsTable(result([run('wide', 1, 12), run('narrow', 1, 10), run('wide', 2, 11)]));
  const rows = table.split('\n').slice(2);
  t.is(rows.length, 2);
  t.regex(rows[0] ?? '', /^\| 10,000 connections in 1,000 rooms \|.* 12\.00 \| 1\.20× \|/);
  t.regex(rows[1] ?? '', /^\| 1,000 connections in 100 rooms \|.* 10\.00 \| 1\.00× \|/);
});
