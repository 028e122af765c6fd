import {
  browserTest,
  chatter,
  messageTexts,
  say,
  serverAndPage,
  waitForMessage,
} from './support/browser.ts';

type RecordingWindow = Window & { __seen?: string[] };

browserTest(
  'the byte counter counts UTF-8 bytes against the server’s limit and refuses to send over it, keeping the text',
  async (t, browser) => {
    const { server, page, errors } = await serverAndPage(t, browser, { maxMessageBytes: 40 });
    const bob = await chatter(t, server, 'bob');
    const heard: string[] = [];
    bob.on('message', (message) => heard.push(message.text));
    const box = page.locator('#msg');
    const counter = page.locator('#bytes');
    const send = page.getByRole('button', { name: 'Send' });

    await box.fill('é'.repeat(20)); // 40 bytes: at the limit
    t.is(await counter.textContent(), '40 / 40');
    t.is(await counter.getAttribute('data-level'), 'near');
    t.true(await send.isEnabled());

    const over = `${'é'.repeat(18)}😀`; // 36 + 4 bytes is 40; one more character is over
    await box.fill(`${over}!`);
    t.is(await counter.textContent(), '41 / 40 bytes: too long to send');
    t.is(await counter.getAttribute('data-level'), 'over');
    t.is(await box.getAttribute('aria-invalid'), 'true');
    t.true(await send.isDisabled());
    await box.press('Enter');
    await page.locator('#composer').evaluate((form) => (form as HTMLFormElement).requestSubmit());
    t.is(await box.inputValue(), `${over}!`, 'the text is all still there');
    t.is(await page.locator('#pending .message').count(), 0);

    await box.press('End');
    await box.press('Backspace');
    t.is(await counter.textContent(), '40 / 40');
    t.is(await box.getAttribute('aria-invalid'), 'false');
    await box.press('Enter');
    await waitForMessage(page, over);
    t.deepEqual(await messageTexts(page), [over]);
    t.deepEqual(heard, [over], 'the over-limit text never reached the server');
    t.deepEqual(errors, []);
  },
);

browserTest(
  'a send is shown pending at once, and leaves its place to the room’s copy once stored',
  async (t, browser) => {
    const { page, errors } = await serverAndPage(t, browser);
    // Writes down, in order, each message line that appears in or leaves the log.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as RecordingWindow).__seen = seen;
      for (const where of ['pending', 'messages']) {
        const list = document.getElementById(where);
        if (list === null) continue;
        new MutationObserver((records) => {
          for (const record of records) {
            for (const node of record.addedNodes) {
              const state = (node as HTMLElement).dataset.state ?? 'stored';
              seen.push(`${where} + ${state} ${node.textContent?.includes('hi') ? 'hi' : '?'}`);
            }
            for (const _ of record.removedNodes) seen.push(`${where} -`);
          }
        }).observe(list, { childList: true });
      }
    });
    await say(page, 'hi');
    await waitForMessage(page, 'hi');
    await page.locator('#pending .message').waitFor({ state: 'detached' });
    const seen = await page.evaluate(() => (window as RecordingWindow).__seen ?? []);
    t.is(seen[0], 'pending + sending hi');
    t.true(seen.includes('messages + stored hi'));
    t.true(seen.includes('pending -'));
    t.is(seen.length, 3, seen.join(', '));
    t.is(await page.locator('#messages .message.own .text').textContent(), 'hi');
    t.deepEqual(errors, []);
  },
);

browserTest('an empty or blank box sends nothing', async (t, browser) => {
  const { server, page, errors } = await serverAndPage(t, browser);
  const bob = await chatter(t, server, 'bob');
  const heard: string[] = [];
  bob.on('message', (message) => heard.push(message.text));
  await page.locator('#msg').press('Enter');
  await say(page, '   ');
  t.true(await page.getByRole('button', { name: 'Send' }).isDisabled());
  await say(page, 'first real message');
  await waitForMessage(page, 'first real message');
  t.deepEqual(await messageTexts(page), ['first real message']);
  t.deepEqual(heard, ['first real message']);
  t.deepEqual(errors, []);
});
