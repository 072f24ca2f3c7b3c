import path from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from './browser';
import { cachedThreads, highlights, pendingChanges, selectText, sharedDocument } from './comment-pages';
import { unique, useE2eWorld } from './harness';
import { editorOf, signUp, waitUntil } from './pages';

jest.setTimeout(240_000);

const world = useE2eWorld('web_e2e_comment_outbox', 4340);

/** Ada and Bo (an editor) on Ada's new document with `text`; Ada's page can reload without a network. */
async function twoPeople(text: string): Promise<{ ada: Page; bo: Page }> {
  const ada = await world.newPage();
  const bo = await world.newPage();
  const boEmail = `bo-${unique()}@example.com`;
  await signUp(ada, world.url, 'Ada Lovelace', `ada-${unique()}@example.com`);
  await signUp(bo, world.url, 'Bo Chen', boEmail);
  await sharedDocument(ada, text, [{ page: bo, email: boEmail, role: 'editor' }]);
  // The service worker serves the app shell for a reload without a network.
  await waitUntil(() => ada.evaluate(() => navigator.serviceWorker.controller !== null));
  return { ada, bo };
}

async function goOffline(page: Page): Promise<void> {
  await page.context().setOffline(true);
  await page
    .getByRole('status')
    .filter({ hasText: /^Offline$/ })
    .waitFor({ timeout: 10_000 });
}

/** Starts a thread on `word` with `body` while online, and waits until it is stored. */
async function comment(page: Page, word: string, body: string): Promise<void> {
  await selectText(page, word);
  await page.getByRole('button', { name: 'Comment on the selection' }).click();
  await page.getByRole('combobox', { name: 'New comment' }).fill(body);
  await page.getByRole('button', { name: 'Comment', exact: true }).click();
  await threadOf(page, body).waitFor();
  await waitUntil(async () => (await pendingChanges(page)).length === 0);
}

const threadOf = (page: Page, text: string) =>
  page.locator('.comments-panel .thread').filter({ hasText: text });
const commentOf = (page: Page, text: string) =>
  page.locator('.comments-panel .comment').filter({ hasText: text });

describe('the comment outbox', () => {
  it('a comment written offline survives a reload and is stored once after reconnecting', async () => {
    const ada = await world.newPage();
    const bo = await world.newPage();
    const boEmail = `bo-${unique()}@example.com`;
    await signUp(ada, world.url, 'Ada Lovelace', `ada-${unique()}@example.com`);
    await signUp(bo, world.url, 'Bo Chen', boEmail);
    await sharedDocument(ada, 'Notes from the tunnel', [{ page: bo, email: boEmail, role: 'editor' }]);
    // The service worker serves the app shell for the reload without a network.
    await waitUntil(() => ada.evaluate(() => navigator.serviceWorker.controller !== null));

    const thread = (page: Page) =>
      page.locator('.comments-panel .thread').filter({ hasText: 'Written underground' });
    await ada.context().setOffline(true);
    await ada
      .getByRole('status')
      .filter({ hasText: /^Offline$/ })
      .waitFor({ timeout: 10_000 });
    await selectText(ada, 'tunnel');
    await ada.getByRole('button', { name: 'Comment on the selection' }).waitFor();
    await ada.keyboard.press('Control+Alt+M');
    await ada.getByRole('combobox', { name: 'New comment' }).fill('Written underground');
    await ada.getByRole('button', { name: 'Comment', exact: true }).click();
    await ada.getByText('your comment is kept on this device', { exact: false }).waitFor({ timeout: 30_000 });
    expect(await pendingChanges(ada)).toEqual(['thread: Written underground']);
    // Shown at once, marked as waiting, its text highlighted (its anchor holds: nothing was committed since).
    await thread(ada).getByText('Waiting to be sent').waitFor();
    await waitUntil(async () => (await highlights(ada)).join('') === 'tunnel');

    await ada.reload();
    await editorOf(ada).waitFor({ timeout: 10_000 });
    expect(await pendingChanges(ada)).toEqual(['thread: Written underground']);
    // Still shown from this device after the reload, still waiting.
    await thread(ada).getByText('Waiting to be sent').waitFor();
    await ada.screenshot({ path: path.join(ARTIFACTS, 'comments-offline-thread.png') });
    await ada.context().setOffline(false);

    await waitUntil(async () => (await pendingChanges(ada)).length === 0, 60_000);
    await waitUntil(async () => (await thread(ada).getByText('Waiting to be sent').count()) === 0);
    expect(await thread(ada).count()).toBe(1);
    await bo.reload();
    await thread(bo).waitFor();
    expect(await thread(bo).count()).toBe(1);
    expect(await highlights(bo)).toEqual(['tunnel']);
  });

  it('a reply written offline is shown as waiting, and stored once after reconnecting', async () => {
    const { ada, bo } = await twoPeople('Notes about the bridge');
    await comment(ada, 'bridge', 'Which bridge?');
    await threadOf(bo, 'Which bridge?').waitFor();

    await goOffline(ada);
    await threadOf(ada, 'Which bridge?').click();
    await ada.getByRole('combobox', { name: 'Reply' }).fill('The old one');
    await ada.getByRole('button', { name: 'Reply', exact: true }).click();
    await ada.getByText('your comment is kept on this device', { exact: false }).waitFor({ timeout: 30_000 });
    // Shown at once, marked as waiting.
    await commentOf(ada, 'The old one').getByText('Waiting to be sent').waitFor();
    expect(await pendingChanges(ada)).toEqual(['reply: The old one']);

    await ada.context().setOffline(false);
    await waitUntil(async () => (await pendingChanges(ada)).length === 0, 60_000);
    await commentOf(bo, 'The old one').waitFor();
    await waitUntil(
      async () => (await commentOf(ada, 'The old one').getByText('Waiting to be sent').count()) === 0,
    );
    await bo.reload();
    await commentOf(bo, 'The old one').waitFor();
    expect(await commentOf(bo, 'The old one').count()).toBe(1);
    expect(await threadOf(bo, 'Which bridge?').locator('.comment').count()).toBe(2);
  });

  it('shows the threads last seen after a reload without a network, and sends a reply written then once', async () => {
    const { ada, bo } = await twoPeople('Minutes of the meeting');
    await comment(bo, 'meeting', 'Which meeting?');
    await threadOf(ada, 'Which meeting?').waitFor();
    // Ada's page keeps a copy of the threads (written at most half a second after a change).
    await waitUntil(async () => (await cachedThreads(ada)).includes('meeting'));

    await goOffline(ada);
    await ada.reload();
    await editorOf(ada).waitFor({ timeout: 10_000 });
    // Bo's thread, made on another device, is there with its highlight, and the page says whence it comes.
    await threadOf(ada, 'Which meeting?').waitFor();
    await ada.getByText('these are the comments as this device last saw them', { exact: false }).waitFor();
    expect(await highlights(ada)).toEqual(['meeting']);
    await ada.screenshot({ path: path.join(ARTIFACTS, 'comments-offline-copy.png') });

    await threadOf(ada, 'Which meeting?').click();
    await ada.getByRole('combobox', { name: 'Reply' }).fill('The Monday one');
    await ada.getByRole('button', { name: 'Reply', exact: true }).click();
    await commentOf(ada, 'The Monday one').getByText('Waiting to be sent').waitFor();
    await ada.context().setOffline(false);

    await waitUntil(async () => (await pendingChanges(ada)).length === 0, 60_000);
    await commentOf(bo, 'The Monday one').waitFor({ timeout: 30_000 });
    // The server's list replaces the copy: the note goes, the reply is stored once.
    await waitUntil(
      async () => (await ada.getByText('as this device last saw them', { exact: false }).count()) === 0,
    );
    await bo.reload();
    await commentOf(bo, 'The Monday one').waitFor();
    expect(await commentOf(bo, 'The Monday one').count()).toBe(1);
    expect(await threadOf(ada, 'Which meeting?').locator('.comment').count()).toBe(2);
  });

  it('an edit and a resolve made offline survive a reload and reach the other browser after reconnecting', async () => {
    const { ada, bo } = await twoPeople('Plans for the garden');
    await comment(ada, 'garden', 'Plant roses');
    await threadOf(bo, 'Plant roses').waitFor();
    expect(await highlights(bo)).toEqual(['garden']);

    await goOffline(ada);
    const mine = commentOf(ada, 'Plant roses');
    await mine.getByRole('button', { name: 'Edit' }).click();
    await ada.getByRole('combobox', { name: 'Edit comment' }).fill('Plant tulips');
    await ada.getByRole('button', { name: 'Save' }).click();
    // The edited body shows at once, marked as waiting; then the thread resolved, also waiting.
    await commentOf(ada, 'Plant tulips').getByText('Waiting to be sent').waitFor();
    await threadOf(ada, 'Plant tulips').getByRole('button', { name: 'Resolve' }).click();
    await ada.getByText('Resolved (1)').waitFor();
    // Resolved threads are listed (folded) under "Resolved": present, not necessarily visible.
    const attached = { state: 'attached' } as const;
    await threadOf(ada, 'Plant tulips').getByText('Resolved on this device').waitFor(attached);
    expect(await highlights(ada)).toEqual([]);
    expect(await pendingChanges(ada)).toEqual(['edit: Plant tulips', 'resolve:']);
    await ada.locator('.resolved-threads summary').click();
    await threadOf(ada, 'Plant tulips').getByText('Resolved on this device').waitFor();
    await ada.screenshot({ path: path.join(ARTIFACTS, 'comments-offline-pending.png') });
    // Bo sees nothing of it yet.
    expect(await commentOf(bo, 'Plant roses').count()).toBe(1);

    await ada.reload();
    await editorOf(ada).waitFor({ timeout: 10_000 });
    expect(await pendingChanges(ada)).toEqual(['edit: Plant tulips', 'resolve:']);
    await ada.context().setOffline(false);

    // Bo, who kept the document open, gets both live; Ada's outbox empties.
    await commentOf(bo, 'Plant tulips').waitFor({ ...attached, timeout: 60_000 });
    await bo.getByText('Resolved (1)').waitFor({ timeout: 30_000 });
    await waitUntil(async () => (await highlights(bo)).length === 0);
    await waitUntil(async () => (await pendingChanges(ada)).length === 0);
    await threadOf(ada, 'Plant tulips').waitFor(attached);
    await waitUntil(async () => (await ada.getByText('Waiting to be sent').count()) === 0);
    await bo.reload();
    await bo.getByText('Resolved (1)').waitFor();
    expect(await commentOf(bo, 'Plant tulips').count()).toBe(1);
    expect(await commentOf(bo, 'Plant roses').count()).toBe(0);
  });
});
