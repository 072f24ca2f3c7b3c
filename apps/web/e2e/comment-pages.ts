import type { Page } from 'playwright-core';
import { acceptInvitation, contentLines, editorOf, invite, saved, waitUntil } from './pages';

/**
 * Selects the first occurrence of `text` in the editor, as a drag of the
 * mouse would (the editor takes the focus first: ProseMirror reads a DOM
 * selection only in a focused editor, on the next selectionchange).
 */
export async function selectText(page: Page, text: string): Promise<void> {
  await editorOf(page).evaluate((root, wanted) => {
    (root as HTMLElement).focus();
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
export const highlights = (page: Page) =>
  editorOf(page)
    .locator('.comment-highlight')
    .evaluateAll((els) => els.map((el) => el.textContent ?? ''));

/** Ada's new document with `text`, shared with each of `guests` at their role (each accepts). */
export async function sharedDocument(
  owner: Page,
  text: string,
  guests: readonly { page: Page; email: string; role: 'editor' | 'commenter' | 'viewer' }[],
): Promise<void> {
  await owner.getByRole('button', { name: 'New document' }).click();
  await editorOf(owner).click();
  await owner.keyboard.type(text);
  await saved(owner);
  for (const guest of guests) {
    await invite(owner, guest.email, guest.role);
    await acceptInvitation(guest.page);
    await waitUntil(async () => (await contentLines(guest.page).catch(() => []))[0] === text);
  }
}

/** The changes in the page's comment outbox (made, not yet answered by the server), as `kind: text`. */
export function pendingChanges(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('collab-comment-outbox');
        open.onerror = () => reject(new Error('cannot open the comment outbox'));
        open.onsuccess = () => {
          const db = open.result;
          const read = db.transaction('changes').objectStore('changes').getAll();
          read.onsuccess = () => {
            db.close();
            const entries = read.result as { kind: string; body?: string }[];
            resolve(entries.map((entry) => `${entry.kind}: ${entry.body ?? ''}`.trim()));
          };
        };
      }),
  );
}

/** The quoted texts of the threads the page keeps for a visit without a network (its comment cache). */
export function cachedThreads(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('collab-comment-cache');
        open.onerror = () => reject(new Error('cannot open the comment cache'));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('lists')) {
            db.close();
            return resolve([]);
          }
          const read = db.transaction('lists').objectStore('lists').getAll();
          read.onsuccess = () => {
            db.close();
            const lists = read.result as { threads: { quotedText: string }[] }[];
            resolve(lists.flatMap((list) => list.threads.map((thread) => thread.quotedText)));
          };
        };
      }),
  );
}
