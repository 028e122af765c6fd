import { existsSync } from 'node:fs';
import test, { type ExecutionContext } from 'ava';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { WebSocket } from 'ws';
import type { RunningServer } from '../../support/start-server.ts';
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
  context?: BrowserContextOptions;
  /** Runs in the page before any of its scripts (page.addInitScript). */
  initScript?: () => void;
  /** Wait until the page's socket is open (the Send button is enabled); default true. */
  waitForOpen?: boolean;
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
  if (options.initScript !== undefined) await page.addInitScript(options.initScript);
  await page.goto(`${server.httpUrl}/`);
  if (options.waitForOpen ?? true) await page.locator('#form[data-state="open"]').waitFor();
  return { page, errors };
};

/** The text of every line in the page's log, in order. */
export const logLines = (page: Page): Promise<string[]> =>
  page.locator('#log > div').evaluateAll((lines) => lines.map((line) => line.textContent ?? ''));

/** Waits until the page's log has at least `count` lines. */
export const waitForLineCount = async (page: Page, count: number): Promise<void> => {
  await page.waitForFunction((n) => document.querySelectorAll('#log > div').length >= n, count);
};

/** Waits until some line of the page's log reads exactly `text`. */
export const waitForLine = async (page: Page, text: string): Promise<void> => {
  await page.waitForFunction(
    (expected) =>
      [...document.querySelectorAll('#log > div')].some((line) => line.textContent === expected),
    text,
  );
};

/** Types `text` into the message box and submits the form with Enter. */
export const say = async (page: Page, text: string): Promise<void> => {
  await page.locator('#msg').fill(text);
  await page.locator('#msg').press('Enter');
};

/** A plain (non-browser) WebSocket client of `server`, open, closed when the test ends. */
export const connectClient = async (
  t: ExecutionContext,
  server: RunningServer,
): Promise<WebSocket> => {
  const ws = new WebSocket(server.wsUrl);
  t.teardown(() => ws.close());
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
};
