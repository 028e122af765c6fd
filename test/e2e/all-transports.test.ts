// All transports share one hub: a message from any of them reaches every other. The browser page
// (WebSocket, hubbub.v2, in lobby), an SSE stream (GET /events), a POST /send and a TCP line client, on one
// server. Every wait is for a condition; none is a timed assertion.
import { connectSseRegistered } from '../adapters/support/sse-client.ts';
import { connectTcpRegistered } from '../adapters/support/tcp-client.ts';
import {
  browserTest,
  messageTexts,
  openChat,
  say,
  waitForMessage,
  waitForMessageCount,
} from '../browser/support/browser.ts';
import { startServer } from '../support/start-server.ts';

browserTest(
  'a message from the browser, from TCP or from POST /send reaches every transport',
  async (t, browser) => {
    const server = await startServer({ tcpPort: 0 });
    t.teardown(() => server.stop());
    t.not(server.tcpPort, undefined);

    const { page, errors } = await openChat(t, browser, server, { name: 'ann' });
    await page.locator('#status[data-transport="websocket"]').waitFor();
    const sse = await connectSseRegistered(server);
    t.teardown(() => sse.request.destroy());
    const tcp = await connectTcpRegistered(server);
    t.teardown(() => tcp.socket.destroy());

    // Typed in the browser: on the SSE stream and on the TCP connection (and back in the page).
    await say(page, 'typed in the browser');
    t.deepEqual(await sse.waitForMessages(1), ['typed in the browser']);
    t.deepEqual(await tcp.waitForMessages(1), ['typed in the browser']);
    await waitForMessage(page, 'typed in the browser');

    // A line sent on TCP: in the browser and on the SSE stream.
    tcp.send('a line from nc');
    await waitForMessage(page, 'a line from nc');
    t.deepEqual(await sse.waitForMessages(2), ['typed in the browser', 'a line from nc']);
    t.deepEqual(await tcp.waitForMessages(2), ['typed in the browser', 'a line from nc']);

    // A bare POST /send: in the browser and on the TCP connection (and on the SSE stream).
    const answer = await fetch(`${server.httpUrl}/send`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: 'posted\nover HTTP',
    });
    t.is(answer.status, 204);
    await waitForMessage(page, 'posted\nover HTTP');
    // The line protocol replaces newlines so that one message stays one line.
    t.deepEqual(await tcp.waitForMessages(3), [
      'typed in the browser',
      'a line from nc',
      'posted over HTTP',
    ]);
    t.deepEqual(await sse.waitForMessages(3), [
      'typed in the browser',
      'a line from nc',
      'posted\nover HTTP',
    ]);

    // Every transport saw the same messages in the same order, and nothing else.
    await waitForMessageCount(page, 3);
    t.deepEqual(await messageTexts(page), [
      'typed in the browser',
      'a line from nc',
      'posted\nover HTTP',
    ]);
    t.is(sse.messages.length, 3);
    t.is(tcp.messages.length, 3);
    t.deepEqual(
      server.events.filter((event) => event.type === 'Broadcast').map((event) => event.text),
      ['typed in the browser', 'a line from nc', 'posted\nover HTTP'],
    );
    t.deepEqual(errors, []);
  },
);
