// The page's history: the last 50 on join, older pages on scrolling up down to the room's
// first message; a reader at the bottom follows new messages, one who scrolled up stays put.
import type { ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { type RunningServer, startServer } from '../support/start-server.ts';
import {
  browserTest,
  chatter,
  messageTexts,
  openChat,
  serverAndPage,
  waitForMessageCount,
} from './support/browser.ts';

/** Small enough that a few dozen messages overflow the log. */
const viewport = { width: 480, height: 420 };

/** Another chatter in `room`: `say(count)` sends "line N" for the next `count` N, and returns the last N. */
const numberedChatter = async (t: ExecutionContext, server: RunningServer, room = 'lobby') => {
  const client = await chatter(t, server, 'numbers', room);
  let said = 0;
  return async (count: number): Promise<number> => {
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) sends.push(client.send(room, `line ${++said}`));
    await Promise.all(sends);
    return said;
  };
};

const lines = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

const scroll = (page: Page) =>
  page.locator('#log').evaluate((log) => ({
    top: log.scrollTop,
    height: log.scrollHeight,
    client: log.clientHeight,
    fromBottom: log.scrollHeight - log.clientHeight - log.scrollTop,
  }));

/** Whether the message reading `text` lies, at least partly, in the log's visible area. */
const inView = (page: Page, text: string) =>
  page.locator('#log').evaluate((log, expected) => {
    const texts = [...log.querySelectorAll('#messages .message .text')];
    const line = texts.find((element) => element.textContent === expected);
    if (line === undefined) return false;
    const box = line.getBoundingClientRect();
    const view = log.getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom;
  }, text);

browserTest(
  'the last 50 on join; scrolling up brings the older ones, 50 at a time, down to the first',
  async (t, browser) => {
    const server = await startServer({ historySize: 1_000 });
    t.teardown(() => server.stop());
    const say = await numberedChatter(t, server);
    await say(120);
    const { page, errors } = await openChat(t, browser, server, {
      name: 'ann',
      context: { viewport },
    });
    await waitForMessageCount(page, 50);
    t.deepEqual(await messageTexts(page), lines(71, 120));
    t.true((await scroll(page)).fromBottom <= 2, 'the join shows the newest, at the bottom');
    t.true(await inView(page, 'line 120'));

    await page.locator('#log').evaluate((log) => {
      log.scrollTop = 0;
    });
    await waitForMessageCount(page, 100);
    t.deepEqual(await messageTexts(page), lines(21, 120));
    // The reader still sees what was at the top before the older ones came in above it.
    t.true(await inView(page, 'line 71'));
    t.false(await inView(page, 'line 21'));

    await page.locator('#log').evaluate((log) => {
      log.scrollTop = 0;
    });
    await waitForMessageCount(page, 120);
    t.deepEqual(await messageTexts(page), lines(1, 120));
    await page.locator('#history-note', { hasText: 'This is the start of #lobby.' }).waitFor();
    t.true(await page.locator('#older').isHidden());
    t.deepEqual(errors, []);
  },
);

browserTest('older messages the server no longer keeps are said to be gone', async (t, browser) => {
  const server = await startServer({ historySize: 60 });
  t.teardown(() => server.stop());
  const say = await numberedChatter(t, server, 'short');
  await say(100);
  const { page, errors } = await openChat(t, browser, server, {
    name: 'ann',
    room: 'short',
    context: { viewport },
  });
  await waitForMessageCount(page, 50);
  // The button at the top of the log, for those who do not scroll (a click that scrolled it into
  // view would load by the scroll already).
  await page
    .getByRole('button', { name: 'Load older messages' })
    .evaluate((button) => (button as HTMLButtonElement).click());
  await waitForMessageCount(page, 60);
  t.deepEqual(await messageTexts(page), lines(41, 100));
  await page.locator('#history-note', { hasText: 'Older messages are no longer kept.' }).waitFor();
  t.deepEqual(errors, []);
});

browserTest(
  'a reader at the bottom follows new messages; one who scrolled up stays put until back',
  async (t, browser) => {
    const { server, page, errors } = await serverAndPage(
      t,
      browser,
      {},
      {
        name: 'ann',
        context: { viewport },
      },
    );
    const say = await numberedChatter(t, server);
    await waitForMessageCount(page, await say(40));
    const pinned = await scroll(page);
    t.true(pinned.height > pinned.client * 2, 'the messages overflow the log');
    t.true(pinned.fromBottom <= 2, `pinned: ${JSON.stringify(pinned)}`);

    // Scrolled up (not to the very top, where older messages would load): new ones do not move it.
    await page.locator('#log').evaluate((log) => {
      log.scrollTop = 200;
    });
    await waitForMessageCount(page, await say(20));
    t.is((await scroll(page)).top, 200);
    t.false(await inView(page, 'line 60'));

    // Back at the bottom, the view follows again.
    await page.locator('#log').evaluate((log) => {
      log.scrollTop = log.scrollHeight;
    });
    await waitForMessageCount(page, await say(20));
    const after = await scroll(page);
    t.true(after.fromBottom <= 2, `pinned again: ${JSON.stringify(after)}`);
    t.true(await inView(page, 'line 80'));
    t.deepEqual(errors, []);
  },
);
