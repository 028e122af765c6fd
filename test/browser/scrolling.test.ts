import type { ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { type RunningServer, startServer } from '../support/start-server.ts';
import { browserTest, connectClient, openChat, waitForLineCount } from './support/browser.ts';

/** Small enough that a couple of dozen lines overflow the log. */
const viewport = { width: 480, height: 320 };

type ScrollWindow = Window & { __atBottomAfterEachLine?: boolean[] };

/**
 * Another chatter, a plain WebSocket client: `say(count)` sends `count` more lines, "line 1",
 * "line 2", ..., and returns how many it has said in all.
 */
const numberedChatter = async (t: ExecutionContext, server: RunningServer) => {
  const client = await connectClient(t, server);
  let said = 0;
  return (count: number): number => {
    for (let i = 0; i < count; i++) client.send(`line ${++said}`);
    return said;
  };
};

const scroll = (page: Page) =>
  page.locator('#log').evaluate((log) => ({
    top: log.scrollTop,
    height: log.scrollHeight,
    client: log.clientHeight,
    fromBottom: log.scrollHeight - log.clientHeight - log.scrollTop,
  }));

/** Whether the log line reading `text` lies, at least partly, in the log's visible area. */
const inView = (page: Page, text: string) =>
  page.locator('#log').evaluate((log, expected) => {
    const line = [...log.children].find((child) => child.textContent === expected);
    if (line === undefined) return false;
    const box = line.getBoundingClientRect();
    const view = log.getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom;
  }, text);

browserTest(
  'a reader at the bottom stays pinned to the bottom as lines arrive',
  async (t, browser) => {
    const server = await startServer();
    t.teardown(() => server.stop());
    const { page, errors } = await openChat(t, browser, server, { context: { viewport } });
    // Record, after every line the page appends, whether the log still shows its bottom.
    await page.locator('#log').evaluate((log) => {
      const checks: boolean[] = [];
      (window as ScrollWindow).__atBottomAfterEachLine = checks;
      new MutationObserver((records) => {
        for (const record of records) {
          for (let i = 0; i < record.addedNodes.length; i++) {
            checks.push(log.scrollHeight - log.clientHeight - log.scrollTop <= 1);
          }
        }
      }).observe(log, { childList: true });
    });
    const say = await numberedChatter(t, server);

    const total = say(60);
    await waitForLineCount(page, total);

    const after = await scroll(page);
    t.true(after.height > after.client * 2, 'the lines overflow the log');
    t.true(after.fromBottom <= 1, `pinned to the bottom: ${JSON.stringify(after)}`);
    const checks = await page.evaluate(
      () => (window as ScrollWindow).__atBottomAfterEachLine ?? [],
    );
    t.is(checks.length, total);
    t.deepEqual(
      checks.flatMap((atBottom, i) => (atBottom ? [] : [i + 1])),
      [],
      'lines after which the view had left the bottom',
    );
    t.true(await inView(page, `line ${total}`));
    t.false(await inView(page, 'line 1'));
    t.deepEqual(errors, []);
  },
);

browserTest('a reader who scrolled up stays put until back at the bottom', async (t, browser) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const { page, errors } = await openChat(t, browser, server, { context: { viewport } });
  const say = await numberedChatter(t, server);

  await waitForLineCount(page, say(40));
  const before = await scroll(page);
  t.true(before.height > before.client * 2, 'the lines overflow the log');
  t.true(before.fromBottom <= 1, 'pinned while the reader has not scrolled');

  // The reader scrolls to the top: new lines must not move the view.
  await page.locator('#log').evaluate((log) => {
    log.scrollTop = 0;
  });
  await waitForLineCount(page, say(40));
  t.is((await scroll(page)).top, 0);
  t.true(await inView(page, 'line 1'));
  t.false(await inView(page, 'line 80'));

  // Back at the bottom, the view follows new lines again.
  await page.locator('#log').evaluate((log) => {
    log.scrollTop = log.scrollHeight;
  });
  await waitForLineCount(page, say(40));
  const after = await scroll(page);
  t.true(after.fromBottom <= 1, `pinned again: ${JSON.stringify(after)}`);
  t.true(await inView(page, 'line 120'));
  t.deepEqual(errors, []);
});
