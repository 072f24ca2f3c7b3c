import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, launchBrowser } from './browser';
import { startStack, type RunningStack } from './stack';
import { freeBasePort } from './free-port';

/**
 * One e2e file's world: the stack (as `npm start` runs it) and one browser,
 * started before its tests and stopped after; pages each get their own
 * context (their own cookies, storage and IndexedDB: another person).
 */
export interface E2eWorld {
  readonly url: string;
  /** A page in a fresh browser context (another person); browser errors go to the test output. */
  newPage(viewport?: Viewport): Promise<Page>;
}

export interface Viewport {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** A touch screen (a phone). */
  readonly touch?: boolean;
}

export const DESKTOP: Viewport = { name: 'desktop', width: 1280, height: 860 };
export const PHONE: Viewport = { name: 'phone', width: 390, height: 844, touch: true };

export function useE2eWorld(label: string, basePort: number): E2eWorld {
  let stack: RunningStack | undefined;
  let browser: Browser | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stack = await startStack(label, await freeBasePort(basePort));
    ({ browser, close: closeBrowser } = await launchBrowser());
  });

  // Every open page is photographed after each test (the last state, for a failing run).
  afterEach(async () => {
    let i = 0;
    for (const context of contexts)
      for (const page of context.pages())
        await page
          .screenshot({ path: path.join(ARTIFACTS, `last-${label}-page-${++i}.png`) })
          .catch(() => undefined);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await closeBrowser?.();
    await stack?.stop();
  });

  return {
    get url() {
      if (!stack) throw new Error('the stack is not running');
      return stack.url;
    },
    async newPage(viewport = DESKTOP) {
      if (!browser) throw new Error('the browser is not running');
      const context = await browser.newContext({
        viewport: { width: viewport.width, height: viewport.height },
        hasTouch: viewport.touch ?? false,
        isMobile: viewport.touch ?? false,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (m) => m.type() === 'error' && console.error(`[browser] ${m.text()}`));
      page.on('pageerror', (e) => console.error(`[browser] ${e.message}`));
      return page;
    },
  };
}

export const unique = () => Math.random().toString(36).slice(2, 8);
