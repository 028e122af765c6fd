// The page's screenshots in docs/screenshots/ (375 px and 1280 px wide, light and dark), of a
// real server with a short conversation in it:
//   npm run build && node --import=tsx test/browser/screenshots.ts
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { WebSocket } from 'ws';
import { HubbubClient, type WebSocketConstructor } from '../../src/client/index.ts';
import { startServer } from '../support/start-server.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium.ts';

const CONVERSATION: ReadonlyArray<readonly [string, string]> = [
  ['ines', 'Morning all! Is the release still on for today?'],
  ['tomás', 'Yes, 16:00. Notes are in #releases.'],
  ['tomás', 'Resume after a restart works too: nothing lost, nothing twice.'],
  ['maya', 'Great news. I just tried the page on my phone.'],
  ['maya', 'Reconnects by itself and catches up.'],
  ['ines', 'And the byte counter stops a paste that is too long, without losing it.'],
  ['oliver', 'Can someone review the SSE fallback PR?'],
  ['maya', 'On it.'],
];

const server = await startServer({ batchWindowMs: 0, maxMessageBytes: 512 });
const clients = new Map<string, HubbubClient>();
for (const [name] of CONVERSATION) {
  if (clients.has(name)) continue;
  const client = new HubbubClient({
    url: server.wsUrl,
    name,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
  });
  await client.join('design');
  clients.set(name, client);
}
for (const [name, text] of CONVERSATION) await clients.get(name)?.send('design', text);

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
mkdirSync('docs/screenshots', { recursive: true });
for (const [label, viewport] of [
  ['375', { width: 375, height: 740 }],
  ['1280', { width: 1280, height: 800 }],
] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport, colorScheme: scheme });
    await context.addInitScript(() => localStorage.setItem('hubbub.name', 'maya'));
    const page = await context.newPage();
    await page.goto(`${server.httpUrl}/#design`);
    await page.locator('#status[data-state="connected"]').waitFor();
    await page
      .locator('#messages .message')
      .nth(CONVERSATION.length - 1)
      .waitFor();
    await page.locator('#msg').fill('Looks good to me, shipping it');
    await page.locator('#msg').blur();
    const path = `docs/screenshots/page-${label}-${scheme}.png`;
    await page.screenshot({ path });
    console.log(path);
    await context.close();
  }
}
await browser.close();
for (const client of clients.values()) client.close();
await server.stop();
