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

browserTest('a browser without WebSocket is told so', async (t, browser) => {
  const server = await startServer();
  t.teardown(() => server.stop());
  const a = await openChat(t, browser, server, {
    waitForOpen: false,
    initScript: () => {
      Reflect.deleteProperty(window, 'WebSocket');
    },
  });

  await waitForLine(a.page, 'Your browser does not support WebSockets.');
  t.deepEqual(await logLines(a.page), ['Your browser does not support WebSockets.']);
  t.is(await a.page.locator('#form').getAttribute('data-state'), 'unsupported');
  t.true(await a.page.locator('#form button').isDisabled());
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
