import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromiumPath, HEADLESS_CHROMIUM_ARGS } from '@collab/testing';
import { type Browser, chromium } from 'playwright-core';

export const ARTIFACTS = path.resolve(__dirname, '../../../test-artifacts/web-e2e');

/** Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir in args). */
export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...HEADLESS_CHROMIUM_ARGS],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    browser,
    close: () => browser.close(),
  };
}
