// The status line says what is true: connected (and how), reconnecting in N s counting down to
// the next attempt, connecting during one, or why the page cannot connect at all.
import { startServer } from '../support/start-server.ts';
import {
  browserTest,
  openChat,
  serverAndPage,
  unexpectedErrors,
  waitForStatus,
} from './support/browser.ts';

type StatusWindow = Window & { __statuses?: string[] };

browserTest(
  'while the server is away the status counts down to each attempt, then says connected again',
  async (t, browser) => {
    const first = await startServer();
    const { page, errors } = await openChat(t, browser, first, { name: 'ann' });
    const status = page.getByRole('status');
    t.is(await status.textContent(), 'Connected via WebSocket');
    t.is(await status.getAttribute('data-transport'), 'websocket');
    await page.evaluate(() => {
      const statuses: string[] = [];
      (window as StatusWindow).__statuses = statuses;
      const line = document.getElementById('status');
      if (line === null) return;
      new MutationObserver(() => statuses.push(line.textContent ?? '')).observe(line, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });

    await first.stop();
    // Some wait of 2 s or more, seen going down a second at a time.
    await page.waitForFunction(() => {
      const statuses = (window as StatusWindow).__statuses ?? [];
      return statuses.some((text, i) => {
        const now = /^Reconnecting in (\d+) s$/.exec(text)?.[1];
        const next = /^Reconnecting in (\d+) s$/.exec(statuses[i + 1] ?? '')?.[1];
        return now !== undefined && Number(next) === Number(now) - 1;
      });
    });
    const statuses = await page.evaluate(() => (window as StatusWindow).__statuses ?? []);
    t.true(statuses.includes('Connecting…'), 'each attempt says so');
    t.deepEqual(
      statuses.filter(
        (text) => !/^Reconnecting in [1-9]\d* s$/.test(text) && text !== 'Connecting…',
      ),
      [],
    );

    const second = await startServer({ port: first.port });
    t.teardown(() => second.stop());
    await waitForStatus(page, 'connected');
    t.is(await status.textContent(), 'Connected via WebSocket');
    t.deepEqual(unexpectedErrors(errors), []);
  },
);

browserTest(
  'a browser with neither WebSocket nor EventSource is told so, and connects nowhere',
  async (t, browser) => {
    const { server, page, errors } = await serverAndPage(
      t,
      browser,
      {},
      {
        name: 'ann',
        waitForConnected: false,
        initScript: () => {
          Reflect.deleteProperty(window, 'WebSocket');
          Reflect.deleteProperty(window, 'EventSource');
        },
      },
    );
    await waitForStatus(page, 'unsupported');
    t.is(await page.getByRole('status').textContent(), 'Not connected');
    t.deepEqual(await page.locator('#messages .notice').allTextContents(), [
      'Your browser supports neither WebSockets nor Server-Sent Events.',
    ]);
    t.is(server.logger.lines.filter((line) => line.message === 'connection opened').length, 0);
    t.deepEqual(errors, []);
  },
);
