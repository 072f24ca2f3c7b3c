import type { Page } from 'playwright-core';

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
