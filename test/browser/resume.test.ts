// Reconnect and resume in the page: after a server restart on the same port, and after a long
// offline spell; nothing lost, nothing twice, and the status says what is going on meanwhile.
import { startServer } from '../support/start-server.ts';
import {
  browserTest,
  chatter,
  messageTexts,
  openChat,
  say,
  serverAndPage,
  unexpectedErrors,
  waitForMessage,
  waitForMessageCount,
  waitForStatus,
} from './support/browser.ts';

type SocketsWindow = Window & { __sockets?: WebSocket[] };

browserTest(
  'a server restart: reconnecting in N s, the send typed meanwhile pending, then stored once; nothing lost, nothing twice',
  async (t, browser) => {
    const first = await startServer();
    const { page, errors } = await openChat(t, browser, first, { name: 'ann' });
    const bob = await chatter(t, first, 'bob');
    await bob.send('lobby', 'before 1');
    await say(page, 'before 2');
    await waitForMessageCount(page, 2);

    await first.stop();
    await waitForStatus(page, 'reconnecting');
    t.regex((await page.getByRole('status').textContent()) ?? '', /^Reconnecting in \d+ s$/);
    await say(page, 'while down');
    const pending = page.locator('#pending .message');
    t.is(await pending.getAttribute('data-state'), 'sending');
    t.is(await pending.locator('.send-state').textContent(), 'Sending…');
    t.is(await page.locator('#msg').inputValue(), '');

    const second = await startServer({ port: first.port });
    t.teardown(() => second.stop());
    await waitForStatus(page, 'connected');
    t.is(await page.getByRole('status').textContent(), 'Connected via WebSocket');
    await waitForMessage(page, 'while down');
    await page.locator('#pending .message').waitFor({ state: 'detached' });
    await bob.join('lobby'); // bob's client is back too
    await bob.send('lobby', 'after');
    await waitForMessage(page, 'after');
    t.deepEqual(await messageTexts(page), ['before 1', 'before 2', 'while down', 'after']);
    t.deepEqual(await page.locator('#messages .message.own .text').allTextContents(), [
      'before 2',
      'while down',
    ]);
    // The restart is told: the server's history before it is gone (a memory engine).
    t.is(await page.locator('#messages .notice', { hasText: 'The server restarted' }).count(), 1);
    t.deepEqual(unexpectedErrors(errors), []);
  },
);

browserTest(
  'a long offline spell: "Offline", sends kept; back online it resumes with everything missed, once',
  async (t, browser) => {
    const { server, page, errors } = await serverAndPage(
      t,
      browser,
      {},
      {
        name: 'ann',
        initScript: () => {
          const Real = window.WebSocket;
          const sockets: WebSocket[] = [];
          (window as SocketsWindow).__sockets = sockets;
          window.WebSocket = class extends Real {
            constructor(url: string | URL, protocols?: string | string[]) {
              super(url, protocols);
              sockets.push(this);
            }
          };
        },
      },
    );
    const bob = await chatter(t, server, 'bob');
    await bob.send('lobby', 'seen 1');
    await waitForMessage(page, 'seen 1');

    // The network goes; the page's socket with it.
    await page.context().setOffline(true);
    await page.evaluate(() => (window as SocketsWindow).__sockets?.at(-1)?.close());
    await waitForStatus(page, 'offline');
    t.is(await page.getByRole('status').textContent(), 'Offline');
    for (let i = 1; i <= 5; i++) await bob.send('lobby', `missed ${i}`);
    await say(page, 'typed offline');
    t.is(await page.locator('#pending .message').getAttribute('data-state'), 'sending');

    await page.context().setOffline(false);
    await waitForStatus(page, 'connected');
    await waitForMessage(page, 'typed offline');
    t.deepEqual(await messageTexts(page), [
      'seen 1',
      'missed 1',
      'missed 2',
      'missed 3',
      'missed 4',
      'missed 5',
      'typed offline',
    ]);
    t.is(await page.locator('#messages .notice').count(), 0, 'recovered: nothing is missing');
    t.deepEqual(unexpectedErrors(errors), []);
  },
);
