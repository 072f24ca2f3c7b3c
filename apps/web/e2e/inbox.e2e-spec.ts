import path from 'node:path';
import type { Page, WebSocket } from 'playwright-core';
import { ARTIFACTS } from './browser';
import { unique, useE2eWorld } from './harness';
import { acceptInvitation, contentLines, editorOf, invite, saved, signUp, waitUntil } from './pages';

jest.setTimeout(180_000);

const world = useE2eWorld('web_e2e_inbox', 4340);

/** The page's WebSockets (Socket.IO's), each as it was opened. */
function socketsOf(page: Page): { open: () => WebSocket[] } {
  const sockets: WebSocket[] = [];
  page.on('websocket', (socket) => sockets.push(socket));
  return { open: () => sockets.filter((socket) => !socket.isClosed()) };
}

/** The page's requests for the inbox over REST, counted. */
function inboxReads(page: Page): { count: number } {
  const reads = { count: 0 };
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/notifications')) reads.count++;
  });
  return reads;
}

describe('the inbox', () => {
  it('counts a mention live on the documents list, with one socket per tab, closed on sign-out', async () => {
    const ada = await world.newPage();
    const bo = await world.newPage();
    const adaSockets = socketsOf(ada);
    const adaReads = inboxReads(ada);
    const boEmail = `bo-${unique()}@example.com`;
    await signUp(ada, world.url, 'Ada Lovelace', `ada-${unique()}@example.com`);
    await signUp(bo, world.url, 'Bo Chen', boEmail);

    // Ada writes a document and shares it with Bo, who accepts.
    await ada.getByRole('button', { name: 'New document' }).click();
    await editorOf(ada).click();
    await ada.keyboard.type('A plan to discuss');
    await saved(ada);
    // On the document page its own socket brings the notifications: no second one.
    expect(adaSockets.open()).toHaveLength(1);
    const documentSocket = adaSockets.open()[0];
    await invite(ada, boEmail, 'editor');
    await acceptInvitation(bo);
    await waitUntil(async () => (await contentLines(bo).catch(() => []))[0] === 'A plan to discuss');

    // Ada goes back to her documents: the document's socket gives way to the inbox's.
    const readsOnDocument = adaReads.count;
    await ada.getByRole('link', { name: 'Collab' }).click();
    await ada.getByRole('heading', { name: 'Documents' }).waitFor();
    const inboxSocket = () => adaSockets.open().find((socket) => socket !== documentSocket);
    await waitUntil(async () => documentSocket.isClosed() && inboxSocket() !== undefined);
    expect(documentSocket.isClosed()).toBe(true);
    expect(adaSockets.open()).toEqual([inboxSocket()]);
    await ada.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
    // The reads the page does on its own (the bell's mount, the inbox's connect) are done.
    await waitUntil(async () => adaReads.count >= readsOnDocument + 2);
    expect(adaReads.count).toBeGreaterThanOrEqual(readsOnDocument + 2);
    await new Promise((r) => setTimeout(r, 500));
    const readsBefore = adaReads.count;

    // Bo comments on the text and mentions Ada (the list suggests her).
    await editorOf(bo).click();
    await bo.keyboard.press('Control+A');
    await bo.getByRole('button', { name: 'Comment on the selection' }).waitFor();
    await bo.keyboard.press('Control+Alt+M');
    const composer = bo.getByRole('combobox', { name: 'New comment' });
    await composer.waitFor();
    await composer.pressSequentially('@Ad');
    await bo.getByRole('option', { name: 'Ada Lovelace' }).waitFor();
    await composer.press('Enter');
    await composer.pressSequentially('what do you think?');
    await bo.getByRole('button', { name: 'Comment', exact: true }).click();
    await bo.locator('.comments-panel .thread').filter({ hasText: 'what do you think?' }).waitFor();

    // Ada's bell counts it with no reload, no focus change, and no REST read: it came over her socket.
    await ada.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ timeout: 10_000 });
    expect(adaReads.count).toBe(readsBefore);
    expect(new URL(ada.url()).pathname).toBe('/');
    await ada.screenshot({ path: path.join(ARTIFACTS, 'inbox-live-count.png') });
    await ada.getByRole('button', { name: 'Notifications, 1 unread' }).click();
    await ada.getByRole('menuitem', { name: /Bo Chen mentioned you/ }).waitFor();
    await ada.keyboard.press('Escape');

    // Signing out closes the inbox's socket.
    await ada.getByRole('button', { name: /^Account/ }).click();
    await ada.getByRole('menuitem', { name: 'Sign out' }).click();
    await ada.getByRole('button', { name: 'Sign in' }).waitFor();
    await waitUntil(async () => adaSockets.open().length === 0);
    expect(adaSockets.open()).toHaveLength(0);
  });
});
