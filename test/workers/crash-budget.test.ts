import test from 'ava';
import { CRASH_LIMIT, CRASH_WINDOW_MS, CrashBudget } from '../../src/workers/crash-budget.ts';

test(`the ${CRASH_LIMIT}th crash within ${CRASH_WINDOW_MS} ms exhausts the budget`, (t) => {
  const budget = new CrashBudget();
  const start = 1_000_000;
  for (let crash = 1; crash < CRASH_LIMIT; crash++) {
    t.false(budget.exhaustedBy(start + crash * 1_000), `crash ${crash} is restarted`);
  }
  t.true(budget.exhaustedBy(start + CRASH_WINDOW_MS - 1));
  t.is(budget.recent, CRASH_LIMIT);
});

test('crashes further apart than the window are restarted for ever', (t) => {
  const budget = new CrashBudget(3, 100);
  for (let crash = 0; crash < 50; crash++) {
    t.false(budget.exhaustedBy(crash * 50), `crash ${crash}`);
  }
  t.is(budget.recent, 2, 'only the crashes within the window count');
});

test('a crash exactly one window after an older one no longer counts the older', (t) => {
  const budget = new CrashBudget(2, 100);
  t.false(budget.exhaustedBy(0));
  t.false(budget.exhaustedBy(100));
  t.true(budget.exhaustedBy(150));
});
