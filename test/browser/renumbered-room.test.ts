// A room whose store lost it while the page is in it (a Redis restarted without persistence):
// the page says so once, goes on with the new numbering, and never mixes the two when it
// loads older messages (the oldest shown is of the old numbering: none are asked for).
import { ControlledEngine } from '../support/controlled-engine.ts';
import { startServer } from '../support/start-server.ts';
import {
  browserTest,
  chatter,
  messageTexts,
  openChat,
  unexpectedErrors,
  waitForMessage,
} from './support/browser.ts';

browserTest(
  'a room renumbered under the page: told once, the new messages shown after the old, each with its own numbering',
  async (t, browser) => {
    const engine = new ControlledEngine();
    const server = await startServer({}, { engine });
    t.teardown(() => server.stop());
    const { page, errors } = await openChat(t, browser, server, { name: 'ann' });
    const bob = await chatter(t, server, 'bob');
    await bob.send('lobby', 'old 1');
    await bob.send('lobby', 'old 2');
    await waitForMessage(page, 'old 2');

    engine.lose('lobby');
    await bob.send('lobby', 'new 1');
    await waitForMessage(page, 'new 1');
    t.deepEqual(await messageTexts(page), ['old 1', 'old 2', 'new 1']);
    const told = page.locator('#messages .notice', { hasText: 'lost the earlier messages' });
    t.is(await told.count(), 1);
    t.deepEqual(
      await page
        .locator('#messages .message')
        .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.epoch))
        .then((epochs) => new Set(epochs).size),
      2,
      'two numberings, each as the server gave it',
    );
    t.deepEqual(unexpectedErrors(errors), []);
  },
);
