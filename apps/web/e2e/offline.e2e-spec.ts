import path from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from './browser';
import { useE2eWorld } from './harness';
import { contentLines, editorOf, saved, sharedDocument, waitUntil } from './pages';

jest.setTimeout(180_000);

const world = useE2eWorld('web_e2e_offline', 3920);

const status = (page: Page) => page.getByRole('status');

/** The unsent edits the page's IndexedDB replicas hold for `docId`, as text inserted. */
function outboxInserts(page: Page, docId: string): Promise<string> {
  return page.evaluate(
    (id) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('collab-outbox');
        open.onerror = () => reject(new Error('cannot open the outbox'));
        open.onsuccess = () => {
          const db = open.result;
          const read = db.transaction('entries').objectStore('entries').index('byDoc').getAll(id);
          read.onsuccess = () => {
            db.close();
            type Ops = { ops: { insert?: unknown }[] } | null | undefined;
            const text = (delta: Ops) =>
              (delta?.ops ?? []).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
            type Entry = { replica: { pending: { inFlight: { delta: Ops }; buffer?: Ops } | null } };
            resolve(
              (read.result as Entry[])
                .map((e) => text(e.replica.pending?.inFlight.delta) + text(e.replica.pending?.buffer))
                .join(''),
            );
          };
        };
      }),
    docId,
  );
}

describe('editing offline', () => {
  it('typing offline survives a reload without a network (the document opens from this device and typing goes on) and arrives exactly once after reconnecting', async () => {
    const { ada, bob, docId } = await sharedDocument(world);

    await editorOf(ada).click();
    await ada.keyboard.type('Before the tunnel.');
    await saved(ada);
    await waitUntil(async () => (await contentLines(bob)).join('|') === 'Before the tunnel.');
    expect(await contentLines(bob)).toEqual(['Before the tunnel.']);

    // The offline app shell: the service worker registered (production build)
    // and controls Ada's page, so a reload without a network can be served.
    await ada.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await waitUntil(() => ada.evaluate(() => navigator.serviceWorker.controller !== null));
    expect(await ada.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
      `${world.url}/sw.js`,
    );
    const [worker] = ada.context().serviceWorkers();
    expect(worker).toBeDefined();

    const title = await ada.getByLabel('Document title').inputValue();
    expect(title).not.toBe('');

    // Offline: the page, and the service worker's own fetches, lose the network.
    await ada.context().setOffline(true);
    await status(ada)
      .filter({ hasText: /^Offline$/ })
      .waitFor({ timeout: 10_000 });
    expect(await ada.evaluate(() => navigator.onLine)).toBe(false);
    expect(
      await worker!.evaluate(() =>
        fetch('/index.html').then(
          () => 'reached',
          () => 'offline',
        ),
      ),
    ).toBe('offline');

    await editorOf(ada).click();
    await ada.keyboard.press('Control+End');
    const typed = ' Words typed in the tunnel, one by one.';
    await ada.keyboard.type(typed);
    // Every keystroke is one edit the person made; they are counted, not the SDK's operations.
    const offlineStatus = (edits: number) =>
      status(ada).filter({ hasText: `Offline: ${edits} edits will be sent when you reconnect` });
    await offlineStatus(typed.length).waitFor({ timeout: 10_000 });
    expect(await contentLines(ada)).toEqual([`Before the tunnel.${typed}`]);
    // Meanwhile Bob keeps working online; none of Ada's words reach him.
    await editorOf(bob).click();
    await bob.keyboard.press('Control+Home');
    await bob.keyboard.type('Bob: ');
    await saved(bob);
    // Every keystroke is in the outbox before the reload.
    await waitUntil(async () => (await outboxInserts(ada, docId)) === typed);
    expect(await outboxInserts(ada, docId)).toBe(typed);
    expect(await contentLines(bob)).toEqual(['Bob: Before the tunnel.']);

    // Reload with no network: the service worker serves the app shell, and the
    // document opens from the replica on this device, with the unsent edits.
    await ada.reload();
    expect(await ada.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // The count survives the reload (it is stored with the replica).
    await offlineStatus(typed.length).waitFor({ timeout: 10_000 });
    await editorOf(ada).waitFor({ timeout: 10_000 });
    expect(await contentLines(ada)).toEqual([`Before the tunnel.${typed}`]);
    expect(await ada.getByLabel('Document title').inputValue()).toBe(title);
    // Typing goes on after the reload, still offline.
    await editorOf(ada).click();
    await ada.keyboard.press('Control+End');
    const more = ' Still underground.';
    await ada.keyboard.type(more);
    expect(await contentLines(ada)).toEqual([`Before the tunnel.${typed}${more}`]);
    await offlineStatus(typed.length + more.length).waitFor({ timeout: 10_000 });
    await ada.screenshot({ path: path.join(ARTIFACTS, 'editor-offline-after-reload.png') });
    await waitUntil(async () => (await outboxInserts(ada, docId)) === typed + more);
    expect(await outboxInserts(ada, docId)).toBe(typed + more);
    expect(await contentLines(bob)).toEqual(['Bob: Before the tunnel.']);

    // Back online: the outbox goes out once, merged with Bob's edit.
    await ada.context().setOffline(false);
    await saved(ada);
    const expected = [`Bob: Before the tunnel.${typed}${more}`];
    await waitUntil(async () => (await contentLines(bob)).join('|') === expected.join('|'));
    expect(await contentLines(bob)).toEqual(expected);
    expect(await contentLines(ada)).toEqual(expected);
    await waitUntil(async () => (await outboxInserts(ada, docId)) === '');
    expect(await outboxInserts(ada, docId)).toBe('');

    // Exactly once, also on a fresh load from the server (not just on the open pages).
    await bob.reload();
    await editorOf(bob).waitFor();
    await waitUntil(async () => (await contentLines(bob)).join('|') === expected.join('|'));
    expect(await contentLines(bob)).toEqual(expected);
  });
});
