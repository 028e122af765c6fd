// The page over Server-Sent Events, where WebSocket cannot connect: the same chat (history,
// names, members, sends acknowledged, resume) on GET /events, POST /send and GET /history.
import { startServer } from '../support/start-server.ts';
import {
  browserTest,
  chatter,
  memberNames,
  messageTexts,
  openChat,
  say,
  serverAndPage,
  unexpectedErrors,
  waitForMessage,
  waitForMessageCount,
  waitForStatus,
} from './support/browser.ts';

const withoutWebSocket = (): void => {
  Reflect.deleteProperty(window, 'WebSocket');
};

browserTest(
  'a browser without WebSocket chats over Server-Sent Events: history, members, sends stored once, the status says so',
  async (t, browser) => {
    const server = await startServer();
    t.teardown(() => server.stop());
    const bob = await chatter(t, server, 'bob');
    const heard: string[] = [];
    bob.on('message', (message) => heard.push(message.text));
    await bob.send('lobby', 'before ann came');
    const { page, errors } = await openChat(t, browser, server, {
      name: 'ann',
      initScript: withoutWebSocket,
    });
    const status = page.getByRole('status');
    t.is(await status.textContent(), 'Connected via Server-Sent Events');
    t.is(await status.getAttribute('data-transport'), 'sse');
    await waitForMessage(page, 'before ann came');
    await page.locator('#member-count', { hasText: /^2$/ }).waitFor();
    t.deepEqual(await memberNames(page), ['ann', 'bob']);

    await say(page, 'hello over SSE');
    await waitForMessage(page, 'hello over SSE');
    await page.locator('#pending .message').waitFor({ state: 'detached' });
    await bob.send('lobby', 'and back');
    await waitForMessage(page, 'and back');
    t.deepEqual(await messageTexts(page), ['before ann came', 'hello over SSE', 'and back']);
    t.deepEqual(await page.locator('#messages .message.own .text').allTextContents(), [
      'hello over SSE',
    ]);
    t.deepEqual(heard, ['before ann came', 'hello over SSE', 'and back']);
    t.deepEqual(errors, []);
  },
);

browserTest(
  'a WebSocket that cannot connect while the server answers falls back to Server-Sent Events',
  async (t, browser) => {
    const { server, page, errors } = await serverAndPage(
      t,
      browser,
      {},
      {
        name: 'ann',
        initScript: () => {
          // As behind a proxy that blocks WebSocket: every connection fails before it opens.
          const Real = window.WebSocket;
          window.WebSocket = class extends Real {
            constructor(_url: string | URL, protocols?: string | string[]) {
              super(`ws://${location.host}/blocked`, protocols);
            }
          };
        },
      },
    );
    t.is(await page.getByRole('status').textContent(), 'Connected via Server-Sent Events');
    const bob = await chatter(t, server, 'bob');
    await say(page, 'through the fallback');
    await waitForMessage(page, 'through the fallback');
    await bob.send('lobby', 'heard you');
    await waitForMessage(page, 'heard you');
    t.deepEqual(unexpectedErrors(errors), []);
  },
);

browserTest(
  'over Server-Sent Events too: a server restart counts down, keeps the send typed meanwhile, and loses nothing',
  async (t, browser) => {
    const first = await startServer();
    const { page, errors } = await openChat(t, browser, first, {
      name: 'ann',
      initScript: withoutWebSocket,
    });
    await say(page, 'before');
    await waitForMessage(page, 'before');
    await first.stop();
    await waitForStatus(page, 'reconnecting');
    t.regex((await page.getByRole('status').textContent()) ?? '', /^Reconnecting in \d+ s$/);
    await say(page, 'while down');
    t.is(await page.locator('#pending .message').getAttribute('data-state'), 'sending');
    const second = await startServer({ port: first.port });
    t.teardown(() => second.stop());
    await waitForStatus(page, 'connected');
    await waitForMessage(page, 'while down');
    const bob = await chatter(t, second, 'bob');
    await bob.send('lobby', 'after');
    await waitForMessageCount(page, 3);
    t.deepEqual(await messageTexts(page), ['before', 'while down', 'after']);
    t.deepEqual(unexpectedErrors(errors), []);
  },
);
