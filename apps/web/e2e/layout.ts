import type { Locator, Page } from 'playwright-core';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator.toString()} is not on screen`);
  return box;
}

export const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Whether the box lies inside the viewport (reachable without scrolling sideways). */
export const inside = (box: Box, width: number) => box.x >= 0 && box.x + box.width <= width + 0.5;

/** How far the page is wider than the screen (0 when nothing sticks out sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** What has the keyboard focus, as its accessible name or label (for keyboard-only flows). */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    return (
      el.getAttribute('aria-label') ??
      (el as HTMLInputElement).labels?.[0]?.textContent?.trim() ??
      el.textContent?.trim() ??
      ''
    );
  });
}

/** Presses Tab (or Shift+Tab) until the focus is on `name`; fails after `max` presses. */
export async function tabTo(
  page: Page,
  name: string | RegExp,
  options: { back?: boolean; max?: number } = {},
) {
  const key = options.back ? 'Shift+Tab' : 'Tab';
  for (let i = 0; i < (options.max ?? 60); i++) {
    const now = await focusedName(page);
    if (typeof name === 'string' ? now === name : name.test(now)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`the keyboard focus never reached ${String(name)} (last: ${await focusedName(page)})`);
}
