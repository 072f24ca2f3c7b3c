import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { seriousViolations } from './a11y';
import { ARTIFACTS } from './browser';
import { unique, useE2eWorld } from './harness';
import { contentLines, editorOf, saved, signUp, waitUntil } from './pages';

jest.setTimeout(180_000);

const world = useE2eWorld('web_e2e_errors', 4080);

/** The page shows `heading`, no status line, no History or Share, and nothing raw from the server. */
async function expectProblemPage(page: Page, heading: string) {
  await page.getByRole('heading', { name: heading }).waitFor({ timeout: 15_000 });
  expect(await page.getByRole('status').count()).toBe(0);
  expect(await page.getByRole('button', { name: 'History' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Share' }).count()).toBe(0);
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/Invalid payload|UUID|Offline/);
  expect(await seriousViolations(page)).toEqual([]);
}

describe('a document that cannot be opened', () => {
  it('not found, a malformed id, no access, deleted, an expired session and an unreachable server each get their own page', async () => {
    const ada = await world.newPage();
    const bob = await world.newPage();
    await signUp(ada, world.url, 'Ada Lovelace', `ada-${unique()}@example.com`);
    const bobEmail = `bob-${unique()}@example.com`;
    await signUp(bob, world.url, 'Bob Kahn', bobEmail);

    await ada.goto(`${world.url}/d/${randomUUID()}`);
    await expectProblemPage(ada, 'Document not found');
    await ada.screenshot({ path: path.join(ARTIFACTS, 'error-not-found.png') });
    await ada.goto(`${world.url}/d/not-a-uuid`);
    await expectProblemPage(ada, 'Document not found');

    // Bob opens Ada's document before it is shared: the server does not say it exists.
    await ada.goto(world.url);
    await ada.getByRole('button', { name: 'New document' }).click();
    await editorOf(ada).waitFor();
    await ada.keyboard.type('Private.');
    await saved(ada);
    const docUrl = ada.url();
    await bob.goto(docUrl);
    await expectProblemPage(bob, 'Document not found');

    // Shared, then Bob is removed while he has it open: "no access".
    await ada.getByRole('button', { name: 'Share' }).click();
    await ada.getByLabel('Email address').fill(bobEmail);
    await ada.getByRole('button', { name: 'Invite' }).click();
    await ada.getByText(`Invitation sent to ${bobEmail}`, { exact: false }).waitFor();
    await bob.goto(world.url);
    await bob.getByRole('button', { name: 'Accept' }).click();
    await editorOf(bob).waitFor();
    // Reopened, the dialog lists Bob as a member now.
    await ada.keyboard.press('Escape');
    await ada.getByRole('button', { name: 'Share' }).click();
    await ada.getByRole('dialog', { name: 'Share' }).getByRole('button', { name: 'Remove Bob Kahn' }).click();
    await expectProblemPage(bob, 'You don’t have access');
    await bob.screenshot({ path: path.join(ARTIFACTS, 'error-no-access.png') });
    await ada.keyboard.press('Escape');

    // Ada deletes it from another tab while it is open: "deleted".
    const tab = await ada.context().newPage();
    await tab.goto(world.url);
    await tab.getByRole('button', { name: 'Delete Untitled document' }).click();
    await tab
      .getByRole('dialog', { name: 'Delete document?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await tab.getByText('No documents yet. Create one.').waitFor();
    await expectProblemPage(ada, 'This document was deleted');
    await ada.screenshot({ path: path.join(ARTIFACTS, 'error-deleted.png') });
    await tab.close();
    // Opened again later it is still "deleted": the server tells its former members so.
    await ada.reload();
    await expectProblemPage(ada, 'This document was deleted');

    // The server cannot be reached (its API and socket fail) for a document never opened here.
    await bob.goto(world.url);
    await bob.route('**/api/documents/**', (route) => route.abort('connectionrefused'));
    await bob.route('**/socket.io/**', (route) => route.abort('connectionrefused'));
    await bob.routeWebSocket(/\/socket\.io\//, (ws) => ws.close());
    await bob.goto(`${world.url}/d/${randomUUID()}`);
    await expectProblemPage(bob, 'Can’t reach the server');
    await bob.getByRole('button', { name: 'Try again' }).waitFor();
    await bob.screenshot({ path: path.join(ARTIFACTS, 'error-unreachable.png') });
    await bob.unrouteAll();
    await bob.goto(world.url);

    // Tokens the server no longer accepts: signed out, and told the session expired.
    await bob.evaluate(() => {
      for (const key of Object.keys(localStorage)) {
        const value = localStorage.getItem(key) ?? '';
        if (value.includes('refreshToken'))
          localStorage.setItem(
            key,
            JSON.stringify({ ...JSON.parse(value), accessToken: 'expired', refreshToken: 'expired' }),
          );
      }
    });
    await bob.goto(docUrl);
    await bob.getByText('Your session expired. Sign in again to continue.').waitFor();
    expect(new URL(bob.url()).pathname).toBe('/sign-in');
    expect(await seriousViolations(bob)).toEqual([]);
    await bob.screenshot({ path: path.join(ARTIFACTS, 'error-session-expired.png') });
  });
});

describe('a session the server closed for good', () => {
  it('signed out: says so and what to do, keeps the edits on this device, stays closed through offline and online, and sends them after signing in', async () => {
    const ada = await world.newPage();
    const email = `ada-${unique()}@example.com`;
    await signUp(ada, world.url, 'Ada Lovelace', email);
    await ada.getByRole('button', { name: 'New document' }).click();
    await editorOf(ada).waitFor();
    await ada.keyboard.type('Before.');
    await saved(ada);
    const docUrl = ada.url();
    let sockets = 0;
    ada.on('websocket', () => sockets++);

    // The sign-in session ends on the server (as a sign-out elsewhere with the
    // same refresh token, or a replayed token, does): its sockets get SIGNED_OUT.
    // This tab's storage is left as it was, so the page stays on the document.
    const signedOut = await ada.evaluate(async () => {
      const { refreshToken } = JSON.parse(localStorage.getItem('collab.session') ?? '{}');
      const response = await fetch('/api/auth/sign-out', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      return response.status;
    });
    expect(signedOut).toBeLessThan(300);
    await ada.getByText('You were signed out. Sign in again to continue.').waitFor({ timeout: 15_000 });
    const status = ada.locator('.save-status');
    await status.filter({ hasText: /^Signed out: sign in again to continue$/ }).waitFor();

    // Edits made now wait on this device, and the line counts them.
    await editorOf(ada).click();
    await ada.keyboard.press('End');
    await ada.keyboard.type(' Kept.');
    const honest = 'Signed out: 6 edits kept on this device, sent after you sign in again';
    await status.filter({ hasText: honest }).waitFor();
    expect(await ada.locator('body').innerText()).not.toMatch(/when you reconnect/);
    expect(await seriousViolations(ada)).toEqual([]);
    await ada.screenshot({ path: path.join(ARTIFACTS, 'error-signed-out-in-editor.png') });

    // The network goes and comes back: nothing reconnects, the page says the same.
    const before = sockets;
    await ada.context().setOffline(true);
    await status.filter({ hasText: honest }).waitFor();
    // Waits for the browser's `online` event to have reached the page: the app's own handler (registered
    // at mount, so before this one) has run by then, and a reconnect would have opened a socket in it.
    const online = ada.evaluate(
      () =>
        new Promise<void>((resolve) =>
          window.addEventListener('online', () => setTimeout(resolve, 0), { once: true }),
        ),
    );
    await ada.context().setOffline(false);
    await online;
    expect(await status.innerText()).toBe(honest);
    await ada.getByText('You were signed out. Sign in again to continue.').waitFor();
    expect(sockets).toBe(before);

    // Signed in again, the document sends the kept edits once.
    await ada.evaluate(() => localStorage.removeItem('collab.session'));
    await ada.goto(`${world.url}/sign-in?next=${encodeURIComponent(new URL(docUrl).pathname)}`);
    await ada.getByLabel('Email').fill(email);
    await ada.getByLabel('Password').fill('correct horse battery staple');
    await ada.getByRole('button', { name: 'Sign in' }).click();
    await editorOf(ada).waitFor();
    await saved(ada);
    await ada.reload();
    await saved(ada);
    await waitUntil(async () => (await contentLines(ada)).join('|') === 'Before. Kept.');
    expect(await contentLines(ada)).toEqual(['Before. Kept.']);
  });
});
