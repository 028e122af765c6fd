import { existsSync } from 'node:fs';
import test, { type ExecutionContext } from 'ava';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { HubbubClient, type WebSocketConstructor } from '../../../src/client/index.ts';
import {
  type RunningServer,
  type ServerOverrides,
  startServer,
} from '../../support/start-server.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

/** On CI the browser tests always run, so a missing Chromium fails them instead of skipping. */
const chromiumMissing = process.env.CI !== 'true' && !existsSync(CHROMIUM_PATH);

let launched: Promise<Browser> | undefined;

/** One Chromium per test file, launched by the first test that needs it. */
const sharedBrowser = (): Promise<Browser> => {
  launched ??= chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  return launched;
};

test.after.always('close Chromium', async () => {
  const browser = await launched?.catch(() => undefined);
  await browser?.close();
});

export type BrowserImplementation = (t: ExecutionContext, browser: Browser) => Promise<void>;

/**
 * Declares a test that drives Chromium. Where Chromium is missing (and not on CI) it is declared
 * as skipped, with the reason in its title.
 */
export const browserTest = (title: string, implementation: BrowserImplementation): void => {
  if (chromiumMissing) {
    test.skip(`${title} (skipped: Chromium not found at ${CHROMIUM_PATH})`, () => {});
    return;
  }
  test(title, async (t) => implementation(t, await sharedBrowser()));
};

export type ChatPage = Readonly<{
  page: Page;
  /** Uncaught exceptions in the page and errors on its console (failed loads...), so far. */
  errors: string[];
}>;

export type OpenChatOptions = Readonly<{
  /** The name the page remembers (localStorage), so it asks none; `undefined` lets it ask. */
  name?: string;
  /** The room, as the URL's hash; none opens `lobby`. */
  room?: string;
  context?: BrowserContextOptions;
  /** Runs in the page before any of its scripts (page.addInitScript). */
  initScript?: () => void;
  /** Wait until the page says it is connected; default true. */
  waitForConnected?: boolean;
}>;

/** Opens the chat page of `server` in a fresh browser context, closed when the test ends. */
export const openChat = async (
  t: ExecutionContext,
  browser: Browser,
  server: RunningServer,
  options: OpenChatOptions = {},
): Promise<ChatPage> => {
  const context = await browser.newContext(options.context);
  t.teardown(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  if (options.name !== undefined)
    await page.addInitScript((name) => localStorage.setItem('hubbub.name', name), options.name);
  if (options.initScript !== undefined) await page.addInitScript(options.initScript);
  await page.goto(`${server.httpUrl}/${options.room === undefined ? '' : `#${options.room}`}`);
  if (options.waitForConnected ?? true) await waitForStatus(page, 'connected');
  return { page, errors };
};

/** A server of its own (stopped when the test ends) and the page of `name` open on it. */
export const serverAndPage = async (
  t: ExecutionContext,
  browser: Browser,
  settings: ServerOverrides = {},
  options: OpenChatOptions = { name: 'ann' },
): Promise<ChatPage & { server: RunningServer }> => {
  const server = await startServer(settings);
  t.teardown(() => server.stop());
  return { server, ...(await openChat(t, browser, server, options)) };
};

/**
 * The errors a page logged other than the browser's reports of its connection attempts refused
 * (a WebSocket's, an event stream's) while the server was away.
 */
export const unexpectedErrors = (errors: readonly string[]): string[] =>
  errors.filter(
    (error) =>
      !error.includes('WebSocket connection to') && !error.includes('net::ERR_CONNECTION_REFUSED'),
  );

/** Waits until the status line is in `state` (connected, connecting, reconnecting, offline). */
export const waitForStatus = async (page: Page, state: string): Promise<void> => {
  await page.locator(`#status[data-state="${state}"]`).waitFor();
};

/** The texts of the messages in the log, in order. */
export const messageTexts = (page: Page): Promise<string[]> =>
  page.locator('#messages .message .text').allTextContents();

/** Waits until the log holds exactly `count` messages. */
export const waitForMessageCount = async (page: Page, count: number): Promise<void> => {
  await page.waitForFunction(
    (n) => document.querySelectorAll('#messages .message').length === n,
    count,
  );
};

/** Waits until some message in the log reads exactly `text`. */
export const waitForMessage = async (page: Page, text: string): Promise<void> => {
  await page.waitForFunction(
    (expected) =>
      [...document.querySelectorAll('#messages .message .text')].some(
        (line) => line.textContent === expected,
      ),
    text,
  );
};

/** The names in the members panel, in order. */
export const memberNames = (page: Page): Promise<string[]> =>
  page.locator('#members .member-name').allTextContents();

/** Types `text` into the message box and sends it with Enter. */
export const say = async (page: Page, text: string): Promise<void> => {
  await page.locator('#msg').fill(text);
  await page.locator('#msg').press('Enter');
};

/** Another chatter: hubbub/client in Node, in `room`, closed when the test ends. */
export const chatter = async (
  t: ExecutionContext,
  server: RunningServer,
  name: string,
  room = 'lobby',
): Promise<HubbubClient> => {
  const client = new HubbubClient({
    url: server.wsUrl,
    name,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
  });
  t.teardown(() => client.close());
  await client.join(room);
  return client;
};
