import path from 'node:path';
import type { Page } from 'playwright-core';
import { seriousViolations } from './a11y';
import { ARTIFACTS } from './browser';
import { unique, useE2eWorld } from './harness';
import { contentLines, editorOf, saved, signUp, waitUntil } from './pages';

jest.setTimeout(240_000);

const world = useE2eWorld('web_e2e_comments', 4300);

/** Selects the first occurrence of `text` in the editor, as a drag of the mouse would. */
async function selectText(page: Page, text: string): Promise<void> {
  await editorOf(page).evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`"${wanted}" is not in the editor`);
  }, text);
}

/** The highlighted (commented) text in the editor, each highlight once. */
const highlights = (page: Page) =>
  editorOf(page)
    .locator('.comment-highlight')
    .evaluateAll((els) => els.map((el) => el.textContent ?? ''));

describe('comments', () => {
  it('a comment follows concurrent edits identically, an @mention notifies, resolve hides it for both', async () => {
    const ada = await world.newPage();
    const bo = await world.newPage();
    const boEmail = `bo-${unique()}@example.com`;
    await signUp(ada, world.url, 'Ada Lovelace', `ada-${unique()}@example.com`);
    await signUp(bo, world.url, 'Bo Chen', boEmail);

    await ada.getByRole('button', { name: 'New document' }).click();
    await editorOf(ada).click();
    await ada.keyboard.type('The quick brown fox jumps');
    await saved(ada);
    await ada.getByRole('button', { name: 'Share' }).click();
    await ada.getByLabel('Email address').fill(boEmail);
    await ada.getByLabel('Role', { exact: true }).selectOption('editor');
    await ada.getByRole('button', { name: 'Invite' }).click();
    await ada.getByText(`Invitation sent to ${boEmail}`, { exact: false }).waitFor();
    await ada.getByRole('button', { name: 'Close' }).click();
    await bo.reload();
    await bo.getByRole('button', { name: 'Accept' }).click();
    await waitUntil(async () => (await contentLines(bo).catch(() => []))[0] === 'The quick brown fox jumps');

    // Ada comments on "brown" with the shortcut.
    await selectText(ada, 'brown');
    await ada.keyboard.press('Control+Alt+M');
    const composer = ada.getByRole('combobox', { name: 'New comment' });
    await composer.waitFor();
    await composer.fill('Is brown the right colour?');
    await ada.getByRole('button', { name: 'Comment', exact: true }).click();
    await ada.locator('.comments-panel .thread').filter({ hasText: 'Is brown the right colour?' }).waitFor();
    await waitUntil(async () => (await highlights(bo)).join('') === 'brown');
    expect(await highlights(ada)).toEqual(['brown']);
    expect(await highlights(bo)).toEqual(['brown']);

    // At the same time: Bo types before the word, Ada deletes part of it.
    await editorOf(bo).click();
    await bo.keyboard.press('Control+Home');
    await selectText(ada, 'br');
    await Promise.all([bo.keyboard.type('Really, ', { delay: 20 }), ada.keyboard.press('Backspace')]);
    await saved(ada);
    await saved(bo);
    const expected = 'Really, The quick own fox jumps';
    await waitUntil(
      async () => (await contentLines(ada))[0] === expected && (await contentLines(bo))[0] === expected,
    );
    await waitUntil(
      async () => (await highlights(ada)).join('') === 'own' && (await highlights(bo)).join('') === 'own',
    );
    expect(await contentLines(ada)).toEqual([expected]);
    expect(await contentLines(bo)).toEqual([expected]);
    expect(await highlights(ada)).toEqual(['own']);
    expect(await highlights(bo)).toEqual(['own']);
    await bo.screenshot({ path: path.join(ARTIFACTS, 'comments-highlight-after-edits.png') });

    // Bo opens the thread from its highlight and replies to @Ada (the list suggests her).
    await editorOf(bo).locator('.comment-highlight').click();
    const reply = bo.getByRole('combobox', { name: 'Reply' });
    await reply.waitFor();
    await reply.pressSequentially('@Ad');
    await bo.getByRole('option', { name: 'Ada Lovelace' }).waitFor();
    await reply.press('Enter');
    await reply.pressSequentially('<b>please</b> check');
    expect(await reply.inputValue()).toBe('@Ada Lovelace <b>please</b> check');
    await bo.getByRole('button', { name: 'Reply', exact: true }).click();
    const boReply = bo.locator('.comment').filter({ hasText: '<b>please</b> check' });
    await boReply.waitFor();
    expect(await boReply.locator('b').count()).toBe(0); // shown as typed, never as HTML

    // Ada: the bell counts it live, and its entry opens the document at the thread.
    await ada.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();
    await ada.locator('.comments-panel .comment').filter({ hasText: 'please' }).waitFor();
    expect(await seriousViolations(ada, '.comments-panel')).toEqual([]);
    await ada.screenshot({ path: path.join(ARTIFACTS, 'comments-panel.png') });
    await ada.getByRole('link', { name: 'Collab' }).click();
    await ada.getByRole('heading', { name: 'Documents' }).waitFor();
    await ada.getByRole('button', { name: /^Notifications/ }).click();
    const entry = ada.getByRole('menuitem', { name: /Bo Chen mentioned you/ });
    await entry.waitFor();
    await ada.screenshot({ path: path.join(ARTIFACTS, 'comments-inbox.png') });
    await entry.click();
    const opened = ada.locator('.comments-panel .thread[data-active="true"]');
    await opened.filter({ hasText: '<b>please</b> check' }).waitFor();
    expect(new URL(ada.url()).searchParams.get('thread')).toBe(await opened.getAttribute('data-thread-id'));
    await ada.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
    await waitUntil(async () => (await highlights(ada)).join('') === 'own');

    // Ada resolves it: it leaves the text for both and is listed under "Resolved".
    await opened.getByRole('button', { name: 'Resolve' }).click();
    await waitUntil(async () => (await highlights(ada)).length === 0 && (await highlights(bo)).length === 0);
    expect(await highlights(ada)).toEqual([]);
    expect(await highlights(bo)).toEqual([]);
    await bo.getByText('Resolved (1)').waitFor();
    await ada.getByText('Resolved (1)').waitFor();
    expect(await bo.locator('.thread-track .thread').count()).toBe(0);
    await bo.screenshot({ path: path.join(ARTIFACTS, 'comments-resolved.png') });
  });
});
