import path from 'node:path';
import { ARTIFACTS } from './browser';
import { unique, useE2eWorld } from './harness';
import { focusedName, tabTo } from './layout';
import { contentHtml, editorOf, saved, waitUntil } from './pages';

jest.setTimeout(180_000);

const world = useE2eWorld('web_e2e_keyboard', 4120);

describe('keyboard only', () => {
  it('sign up, create, type, format and share without a mouse', async () => {
    const page = await world.newPage();
    const email = `kay-${unique()}@example.com`;
    await page.goto(`${world.url}/sign-up`);
    // The Name field has the focus on arrival.
    expect(await focusedName(page)).toBe('Name');
    await page.keyboard.type('Kay Board');
    await page.keyboard.press('Tab');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('a long passphrase of words');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Documents' }).waitFor();

    await tabTo(page, 'New document');
    await page.keyboard.press('Enter');
    await editorOf(page).waitFor();
    // The caret is in the new document.
    await waitUntil(() =>
      page.evaluate(() => document.activeElement?.classList.contains('page-body') ?? false),
    );
    await page.keyboard.type('Typed by keyboard, ');
    await page.keyboard.press('Control+B');
    await page.keyboard.type('bold');
    await page.keyboard.press('Control+B');
    await page.keyboard.type(' too.');
    await saved(page);
    expect(await contentHtml(page)).toContain('<strong>bold</strong>');

    // Back through the toolbar to Share, then invite someone.
    await tabTo(page, 'Share', { back: true });
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Share' });
    await dialog.waitFor();
    await tabTo(page, 'Email address');
    await page.keyboard.type(`friend-${unique()}@example.com`);
    await page.keyboard.press('Enter');
    await dialog.getByText('Invitation sent to', { exact: false }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'keyboard-share.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // The page puts the focus back on the next frame (closePanel in editor-page.tsx).
    await waitUntil(async () => (await focusedName(page)) === 'Share', 2_000);
    expect(await focusedName(page)).toBe('Share');
  });
});
