// The chat page in Chromium against the real server: rooms from the URL, names, one's own
// messages, members. Every wait is for a condition in the page, never for a time.
import { startServer } from '../support/start-server.ts';
import {
  browserTest,
  chatter,
  memberNames,
  messageTexts,
  openChat,
  say,
  serverAndPage,
  waitForMessage,
  waitForMessageCount,
} from './support/browser.ts';

type TestWindow = Window & { __pwned?: unknown; __sameDocument?: boolean };

browserTest(
  'two pages in one room: each message once in both, with its name and time, one’s own marked',
  async (t, browser) => {
    const server = await startServer();
    t.teardown(() => server.stop());
    const ann = await openChat(t, browser, server, { name: 'ann' });
    const bob = await openChat(t, browser, server, { name: 'bob' });
    await ann.page.evaluate(() => {
      (window as TestWindow).__sameDocument = true;
    });

    await say(ann.page, 'hello from ann');
    await waitForMessage(bob.page, 'hello from ann');
    await say(bob.page, 'hi ann, bob here');
    await waitForMessageCount(ann.page, 2);
    await waitForMessageCount(bob.page, 2);

    for (const { page } of [ann, bob]) {
      t.deepEqual(await messageTexts(page), ['hello from ann', 'hi ann, bob here']);
      t.deepEqual(await page.locator('#messages .message .from').allTextContents(), ['ann', 'bob']);
      const times = await page
        .locator('#messages .message time')
        .evaluateAll((all) => all.map((time) => Date.parse(time.getAttribute('datetime') ?? '')));
      t.true(
        times.every((at) => Math.abs(at - Date.now()) < 60_000),
        JSON.stringify(times),
      );
      t.true((await page.locator('#messages .message time').first().textContent())?.includes(':'));
    }
    t.deepEqual(await ann.page.locator('#messages .message.own .text').allTextContents(), [
      'hello from ann',
    ]);
    t.deepEqual(await bob.page.locator('#messages .message.own .text').allTextContents(), [
      'hi ann, bob here',
    ]);
    // Sending never reloads the page nor navigates; the box is empty and keeps the focus.
    t.true(await ann.page.evaluate(() => (window as TestWindow).__sameDocument === true));
    t.is(await ann.page.locator('#msg').inputValue(), '');
    t.true(await ann.page.locator('#msg').evaluate((input) => input === document.activeElement));
    t.deepEqual([...ann.errors, ...bob.errors], []);
  },
);

browserTest(
  'two rooms are apart; changing the hash moves the page to the other room',
  async (t, browser) => {
    const server = await startServer();
    t.teardown(() => server.stop());
    const inA = await openChat(t, browser, server, { name: 'ann', room: 'a' });
    const inB = await openChat(t, browser, server, { name: 'bob', room: 'b' });
    t.is(await inA.page.locator('#room-name').textContent(), 'a');
    t.is(await inA.page.title(), '#a · Hubbub');

    await say(inA.page, 'only in a');
    await say(inB.page, 'only in b');
    await waitForMessage(inA.page, 'only in a');
    await waitForMessage(inB.page, 'only in b');
    const cat = await chatter(t, server, 'cat', 'a');
    await cat.send('a', 'also in a');
    await waitForMessage(inA.page, 'also in a');
    t.deepEqual(await messageTexts(inA.page), ['only in a', 'also in a']);
    t.deepEqual(await messageTexts(inB.page), ['only in b']);

    // Ann goes to #b: the log is b's (its history), and a's messages no longer reach her.
    await inA.page.evaluate(() => {
      location.hash = 'b';
    });
    await inA.page.locator('#room-name', { hasText: /^b$/ }).waitFor();
    await waitForMessage(inA.page, 'only in b');
    await cat.send('a', 'a again');
    await say(inB.page, 'b again');
    await waitForMessage(inA.page, 'b again');
    t.deepEqual(await messageTexts(inA.page), ['only in b', 'b again']);
    t.deepEqual(await memberNames(inA.page), ['ann', 'bob']);
    // No hash, or one that is not a room name: lobby (and the page says why).
    await inA.page.evaluate(() => {
      location.hash = 'no spaces allowed';
    });
    await inA.page.locator('#room-name', { hasText: /^lobby$/ }).waitFor();
    await inA.page.locator('#messages .notice', { hasText: 'is not a room name' }).waitFor();
    t.deepEqual([...inA.errors, ...inB.errors], []);
  },
);

browserTest(
  'the name is asked once, then remembered; the server knows the page by it',
  async (t, browser) => {
    const { page, errors } = await serverAndPage(t, browser, {}, { waitForConnected: false });
    const dialog = page.getByRole('dialog', { name: 'Welcome to Hubbub' });
    await dialog.waitFor();
    t.is(await page.locator('#status').getAttribute('data-state'), 'connecting');
    await page.getByLabel('Your name').fill('  dora  ');
    await page.getByRole('button', { name: 'Start chatting' }).click();
    await page.locator('#status[data-state="connected"]').waitFor();
    t.false(await dialog.isVisible());
    t.is(await page.locator('#my-name').textContent(), 'dora');
    t.deepEqual(await memberNames(page), ['dora']);

    await page.reload();
    await page.locator('#status[data-state="connected"]').waitFor();
    t.false(await dialog.isVisible());
    t.is(await page.evaluate(() => localStorage.getItem('hubbub.name')), 'dora');
    await say(page, 'still dora');
    await waitForMessage(page, 'still dora');
    t.deepEqual(await page.locator('#messages .message.own .from').allTextContents(), ['dora']);
    t.deepEqual(errors, []);
  },
);

browserTest(
  'members: the list and its count follow joins and leaves of pages and other clients',
  async (t, browser) => {
    const { server, page, errors } = await serverAndPage(t, browser);
    const count = page.locator('#member-count');
    await page.locator('#member-count', { hasText: /^1$/ }).waitFor();
    t.deepEqual(await memberNames(page), ['ann']);
    t.is(await page.locator('#members .member.me .tag').textContent(), 'you');

    const zed = await chatter(t, server, 'zed');
    const bob = await chatter(t, server, 'bob');
    await page.locator('#member-count', { hasText: /^3$/ }).waitFor();
    t.deepEqual(await memberNames(page), ['ann', 'bob', 'zed']);
    t.is(await page.locator('#members-count').textContent(), '3');
    bob.close();
    await page.locator('#member-count', { hasText: /^2$/ }).waitFor();
    t.deepEqual(await memberNames(page), ['ann', 'zed']);
    zed.leave('lobby');
    await page.locator('#member-count', { hasText: /^1$/ }).waitFor();
    t.is(await count.textContent(), '1');
    t.deepEqual(errors, []);
  },
);

browserTest('text containing HTML is shown literally and never parsed', async (t, browser) => {
  const { server, page, errors } = await serverAndPage(t, browser);
  const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
  const multiline = 'two\nlines & <i>tags</i>';
  await say(page, hostile);
  const other = await chatter(t, server, '<script>');
  await other.send('lobby', multiline);
  await waitForMessageCount(page, 2);
  t.deepEqual(await messageTexts(page), [hostile, multiline]);
  t.is(await page.locator('#log img, #log b, #log i, #log script').count(), 0);
  t.is(await page.locator('#messages .from').nth(1).textContent(), '<script>');
  t.is(await page.evaluate(() => (window as TestWindow).__pwned), undefined);
  t.deepEqual(errors, []);
});

browserTest(
  'the page is labelled for assistive technology and ready to type',
  async (t, browser) => {
    const { page, errors } = await serverAndPage(t, browser);
    t.is(await page.getByRole('textbox', { name: 'Message' }).getAttribute('id'), 'msg');
    await page.waitForFunction(() => document.activeElement?.id === 'msg');
    t.is(await page.getByRole('log', { name: 'Messages' }).getAttribute('id'), 'log');
    t.is(await page.getByRole('status').getAttribute('id'), 'status');
    t.is(await page.getByRole('button', { name: 'Send' }).getAttribute('id'), 'send');
    t.is(await page.getByRole('complementary', { name: /Members/ }).getAttribute('id'), 'panel');
    t.is(await page.getByRole('heading', { level: 1 }).textContent(), '#lobby');
    t.deepEqual(errors, []);
  },
);
