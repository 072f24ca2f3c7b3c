import type { Page } from 'playwright-core';
import { unique, type E2eWorld } from './harness';

/** Signs up through the form and waits for the document list. */
export async function signUp(page: Page, base: string, name: string, email: string): Promise<void> {
  await page.goto(`${base}/sign-up`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Documents' }).waitFor();
}

/**
 * Shares the document open on `owner` with `email` through the share dialog
 * (as `role`, or the dialog's default), waits for the invitation to be sent,
 * and closes the dialog.
 */
export async function invite(
  owner: Page,
  email: string,
  role?: 'editor' | 'commenter' | 'viewer',
): Promise<void> {
  await owner.getByRole('button', { name: 'Share' }).click();
  await owner.getByLabel('Email address').fill(email);
  if (role) await owner.getByLabel('Role', { exact: true }).selectOption(role);
  await owner.getByRole('button', { name: 'Invite' }).click();
  await owner.getByText(`Invitation sent to ${email}`, { exact: false }).waitFor();
  await owner.getByRole('button', { name: 'Close' }).click();
}

/** The invited person's document list, reloaded, and the invitation accepted (the document opens). */
export async function acceptInvitation(guest: Page): Promise<void> {
  await guest.reload();
  await guest.getByRole('button', { name: 'Accept' }).click();
}

/**
 * Ada and Bob, each signed up in their own browser context, with Ada's new
 * document shared with Bob (the dialog's default role), accepted, and open
 * on both pages. `prepareAda` runs on Ada's page before anyone signs up (to
 * route her socket, say), so it sees every request the page makes.
 */
export async function sharedDocument(
  world: E2eWorld,
  prepareAda?: (ada: Page) => Promise<void>,
): Promise<{ ada: Page; bob: Page; docId: string }> {
  const ada = await world.newPage();
  const bob = await world.newPage();
  await prepareAda?.(ada);
  const bobEmail = `bob-${unique()}@example.com`;
  await signUp(ada, world.url, 'Ada Lovelace', `ada-${unique()}@example.com`);
  await signUp(bob, world.url, 'Bob Kahn', bobEmail);
  await ada.getByRole('button', { name: 'New document' }).click();
  await editorOf(ada).waitFor();
  // The document page's address ends in the document's id (/d/<id>).
  const docId = new URL(ada.url()).pathname.split('/').pop() ?? '';
  await invite(ada, bobEmail);
  await acceptInvitation(bob);
  await editorOf(bob).waitFor();
  return { ada, bob, docId };
}

/** The editor's content element. */
export const editorOf = (page: Page) => page.locator('.page-body');

/** Waits until the status line says every edit is durable. */
export async function saved(page: Page): Promise<void> {
  await page
    .getByRole('status')
    .filter({ hasText: /^All changes saved$/ })
    .waitFor({ timeout: 15_000 });
}

/** The editor's HTML without the decorations other people's carets add. */
export async function contentHtml(page: Page): Promise<string> {
  return (await cleanContent(page)).html;
}

/** The text of each line of the editor, without caret labels. */
export async function contentLines(page: Page): Promise<string[]> {
  return (await cleanContent(page)).lines;
}

function cleanContent(page: Page): Promise<{ html: string; lines: string[] }> {
  return editorOf(page).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.collab-caret, .collab-selection').forEach((n) => {
      if (n.classList.contains('collab-caret')) n.remove();
      else n.replaceWith(...Array.from(n.childNodes));
    });
    // ProseMirror's own helpers around widgets (a caret at a line's end) are not content.
    copy
      .querySelectorAll('img.ProseMirror-separator, br.ProseMirror-trailingBreak')
      .forEach((n) => n.remove());
    copy.normalize();
    return {
      html: copy.innerHTML,
      lines: Array.from(copy.children).map((line) => line.textContent ?? ''),
    };
  });
}

/** Polls until `check` holds (or gives up after `timeoutMs`, leaving the assertion after it to fail). */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !(await check())) await new Promise((r) => setTimeout(r, 100));
}
