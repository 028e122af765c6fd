import type { WebSocket } from 'ws';
import { startServer } from '../support/start-server.ts';
import {
  browserTest,
  connectClient,
  logLines,
  openChat,
  say,
  waitForLine,
} from './support/browser.ts';

type TestWindow = Window & { __pwned?: unknown; __sameDocument?: boolean };

browserTest('a message sent from one page appears in the log of both pages', async (t, browser) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const a = await openChat(t, browser, server);
  const b = await openChat(t, browser, server);
  await a.page.evaluate(() => {
    (window as TestWindow).__sameDocument = true;
  });

  await say(a.page, 'hello from A');
  await waitForLine(a.page, 'hello from A');
  await waitForLine(b.page, 'hello from A');
  await say(b.page, 'hi A, B here');
  await waitForLine(a.page, 'hi A, B here');
  await waitForLine(b.page, 'hi A, B here');

  const expected = ['hello from A', 'hi A, B here'];
  t.deepEqual(await logLines(a.page), expected);
  t.deepEqual(await logLines(b.page), expected);
  // Submitting never reloads the page nor navigates.
  t.true(await a.page.evaluate(() => (window as TestWindow).__sameDocument === true));
  t.is(a.page.url(), `${server.httpUrl}/`);
  t.deepEqual([...a.errors, ...b.errors], []);
});

browserTest('sending clears the input; an empty input sends nothing', async (t, browser) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const a = await openChat(t, browser, server);
  const b = await openChat(t, browser, server);
  const msg = a.page.locator('#msg');

  // Enter in the empty box, then a click on Send with it still empty: neither may send.
  await msg.press('Enter');
  await a.page.locator('#form button').click();
  // A real message from the same socket; had the empty one been sent, it would arrive first.
  await say(a.page, 'first real message');
  t.is(await msg.inputValue(), '');
  await waitForLine(b.page, 'first real message');
  await waitForLine(a.page, 'first real message');

  t.deepEqual(await logLines(b.page), ['first real message']);
  t.deepEqual(await logLines(a.page), ['first real message']);
  const broadcasts = server.events.filter((event) => event.type === 'Broadcast');
  t.deepEqual(
    broadcasts.map((event) => event.text),
    ['first real message'],
  );
  t.true(await msg.evaluate((input) => input === document.activeElement));
  t.deepEqual([...a.errors, ...b.errors], []);
});

browserTest('text containing HTML is shown literally and never parsed', async (t, browser) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const a = await openChat(t, browser, server);
  const b = await openChat(t, browser, server);
  const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
  // A text box cannot hold a newline; another kind of client can send one.
  const multiline = 'two\nlines & <i>tags</i>';

  await say(a.page, hostile);
  await waitForLine(b.page, hostile);
  (await connectClient(t, server)).send(multiline);
  await waitForLine(b.page, multiline);
  await waitForLine(a.page, multiline);

  for (const { page } of [a, b]) {
    t.deepEqual(await logLines(page), [hostile, multiline]);
    t.is(await page.locator('#log img, #log b, #log i, #log script').count(), 0);
    t.is(await page.locator('#log > div').count(), 2);
    t.is(await page.evaluate(() => (window as TestWindow).__pwned), undefined);
  }
  t.deepEqual([...a.errors, ...b.errors], []);
});

browserTest('"Connection closed." appears when the server stops', async (t, browser) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const a = await openChat(t, browser, server);
  await say(a.page, 'before the shutdown');
  await waitForLine(a.page, 'before the shutdown');

  await server.stop();
  await waitForLine(a.page, 'Connection closed.');
  await a.page.locator('#form[data-state="closed"]').waitFor();

  t.deepEqual(await logLines(a.page), ['before the shutdown', 'Connection closed.']);
  t.true(await a.page.locator('#form button').isDisabled());
  // Typing and submitting now does nothing: no error, no new line, the text stays put.
  await say(a.page, 'into the void');
  t.is(await a.page.locator('#msg').inputValue(), 'into the void');
  t.deepEqual(await logLines(a.page), ['before the shutdown', 'Connection closed.']);
  t.deepEqual(a.errors, []);
});

/** Collects the messages a plain WebSocket client receives from now on. */
const received = (ws: WebSocket): string[] => {
  const messages: string[] = [];
  ws.on('message', (data) => messages.push(String(data)));
  return messages;
};

/** Waits until `messages` holds `text` (condition-based; ava's test timeout is the only limit). */
const waitForMessage = async (messages: string[], text: string): Promise<void> => {
  while (!messages.includes(text)) await new Promise((resolve) => setTimeout(resolve, 10));
};

browserTest('the page says it is connected via WebSocket', async (t, browser) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const { page, errors } = await openChat(t, browser, server);

  const status = page.getByRole('status');
  await page.locator('#transport[data-transport="websocket"]').waitFor();
  t.is(await status.textContent(), 'Connected via WebSocket');
  t.is(await status.getAttribute('id'), 'transport');
  t.deepEqual(errors, []);
});

browserTest('a browser without WebSocket chats over Server-Sent Events', async (t, browser) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const a = await openChat(t, browser, server, {
    initScript: () => {
      Reflect.deleteProperty(window, 'WebSocket');
    },
  });
  t.is(await a.page.getByRole('status').textContent(), 'Connected via Server-Sent Events');
  t.is(await a.page.locator('#transport').getAttribute('data-transport'), 'sse');
  const ws = await connectClient(t, server);
  const wsMessages = received(ws);

  ws.send('hello from a plain client');
  await waitForLine(a.page, 'hello from a plain client');
  await say(a.page, 'hello back over SSE');
  t.is(await a.page.locator('#msg').inputValue(), '');
  await waitForMessage(wsMessages, 'hello back over SSE');
  await waitForLine(a.page, 'hello back over SSE');
  // An empty box still sends nothing; text is still shown literally.
  await a.page.locator('#msg').press('Enter');
  ws.send('<b>two</b>\nlines');
  await waitForLine(a.page, '<b>two</b>\nlines');
  await waitForMessage(wsMessages, '<b>two</b>\nlines');

  t.deepEqual(await logLines(a.page), [
    'hello from a plain client',
    'hello back over SSE',
    '<b>two</b>\nlines',
  ]);
  t.is(await a.page.locator('#log b').count(), 0);
  t.deepEqual(wsMessages, [
    'hello from a plain client',
    'hello back over SSE',
    '<b>two</b>\nlines',
  ]);
  t.is(await a.page.locator('#form').getAttribute('data-state'), 'open');
  t.deepEqual(a.errors, []);
});

browserTest(
  'a WebSocket that cannot connect falls back to Server-Sent Events',
  async (t, browser) => {
    const server = await startServer();
    t.teardown(() => server.stop());
    const a = await openChat(t, browser, server, {
      initScript: () => {
        // As behind a proxy that blocks WebSocket: every connection fails before it opens.
        const Real = window.WebSocket;
        window.WebSocket = class extends Real {
          constructor(_url: string | URL, protocols?: string | string[]) {
            super(`ws://${location.host}/blocked`, protocols);
          }
        };
      },
    });
    t.is(await a.page.getByRole('status').textContent(), 'Connected via Server-Sent Events');
    const ws = await connectClient(t, server);
    const wsMessages = received(ws);

    await say(a.page, 'through the fallback');
    await waitForMessage(wsMessages, 'through the fallback');
    await waitForLine(a.page, 'through the fallback');
    t.deepEqual(await logLines(a.page), ['through the fallback']);
    // The only error is the browser's report of the refused WebSocket handshake.
    t.true(
      a.errors.every((error) => error.includes('WebSocket connection to')),
      a.errors.join('\n'),
    );
  },
);

browserTest(
  '"Connection closed." appears when the server stops, over SSE too',
  async (t, browser) => {
    const server = await startServer();
    t.teardown(() => server.stop());
    const a = await openChat(t, browser, server, {
      initScript: () => {
        Reflect.deleteProperty(window, 'WebSocket');
      },
    });
    await say(a.page, 'before the shutdown');
    await waitForLine(a.page, 'before the shutdown');

    await server.stop();
    await waitForLine(a.page, 'Connection closed.');
    await a.page.locator('#form[data-state="closed"]').waitFor();
    t.deepEqual(await logLines(a.page), ['before the shutdown', 'Connection closed.']);
    t.true(await a.page.locator('#form button').isDisabled());
    t.deepEqual(a.errors, []);
  },
);

browserTest('a browser without WebSocket or EventSource is told so', async (t, browser) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const a = await openChat(t, browser, server, {
    waitForOpen: false,
    initScript: () => {
      Reflect.deleteProperty(window, 'WebSocket');
      Reflect.deleteProperty(window, 'EventSource');
    },
  });

  const notice = 'Your browser supports neither WebSockets nor Server-Sent Events.';
  await waitForLine(a.page, notice);
  t.deepEqual(await logLines(a.page), [notice]);
  t.is(await a.page.locator('#form').getAttribute('data-state'), 'unsupported');
  t.true(await a.page.locator('#form button').isDisabled());
  t.is(await a.page.getByRole('status').textContent(), 'Not connected');
  t.false(server.events.some((event) => event.type === 'Registered'));
  t.deepEqual(a.errors, []);
});

browserTest(
  'the page is labelled for assistive technology and ready to type',
  async (t, browser) => {
    const server = await startServer();
    t.teardown(() => server.stop());
    const { page, errors } = await openChat(t, browser, server);

    const input = page.getByRole('textbox', { name: 'Message' });
    t.is(await input.getAttribute('id'), 'msg');
    t.is(await page.locator('label[for="msg"]').textContent(), 'Message');
    await page.waitForFunction(() => document.activeElement?.id === 'msg'); // autofocus
    const log = page.getByRole('log', { name: 'Chat messages' });
    t.is(await log.getAttribute('id'), 'log');
    t.is(await log.getAttribute('aria-live'), 'polite');
    t.true(await page.getByRole('button', { name: 'Send' }).isEnabled());
    t.is(await page.title(), 'Hubbub chat');
    t.deepEqual(errors, []);
  },
);

browserTest('a page the server closes for sending too fast says why', async (t, browser) => {
  const server = await startServer({ rateLimit: 1, rateLimitBurst: 2 });
  t.teardown(() => server.stop());
  const a = await openChat(t, browser, server);
  // Three submissions in one turn of the page, as a paste-and-Enter script would: the third
  // is over the burst whatever the machine's speed.
  await a.page.evaluate(() => {
    const input = document.getElementById('msg') as HTMLInputElement;
    const form = document.getElementById('form') as HTMLFormElement;
    for (const text of ['one', 'two', 'three']) {
      input.value = text;
      form.requestSubmit();
    }
  });
  await waitForLine(a.page, 'Connection closed: rate limit exceeded: too many messages.');
  t.deepEqual(await logLines(a.page), [
    'one',
    'two',
    'Connection closed: rate limit exceeded: too many messages.',
  ]);
  t.deepEqual(a.errors, []);
});
