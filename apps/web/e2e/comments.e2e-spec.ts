import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { seriousViolations } from './a11y';
import { ARTIFACTS } from './browser';
import { PHONE, unique, useE2eWorld } from './harness';
import { highlights, selectText, sharedDocument } from './comment-pages';
import { contentLines, editorOf, saved, signUp, waitUntil } from './pages';

jest.setTimeout(240_000);

const world = useE2eWorld('web_e2e_comments', 4300);

describe('comments', () => {
  it('a comment follows concurrent edits identically, an @mention notifies, resolve hides it for both', async () => {
    const ada = await world.newPage();
    const bo = await world.newPage();
    const boEmail = `bo-${unique()}@example.com`;
    await signUp(ada, world.url, 'Ada Lovelace', `ada-${unique()}@example.com`);
    await signUp(bo, world.url, 'Bo Chen', boEmail);

    await sharedDocument(ada, 'The quick brown fox jumps', [{ page: bo, email: boEmail, role: 'editor' }]);

    // Ada comments on "brown" with the shortcut.
    await selectText(ada, 'brown');
    // The bubble shows once the editor has the selection.
    await ada.getByRole('button', { name: 'Comment on the selection' }).waitFor();
    await ada.keyboard.press('Control+Alt+M');
    const composer = ada.getByRole('combobox', { name: 'New comment' });
    await composer.waitFor();
    await composer.fill('Is brown the right colour?');
    await ada.getByRole('button', { name: 'Comment', exact: true }).click();
    await ada.locator('.comments-panel .thread').filter({ hasText: 'Is brown the right colour?' }).waitFor();
    await waitUntil(async () => (await highlights(bo)).join('') === 'brown');
    expect(await highlights(ada)).toEqual(['brown']);
    expect(await highlights(bo)).toEqual(['brown']);
    // On a wide screen the thread sits level with its text.
    await waitUntil(async () => {
      const mark = await editorOf(ada).locator('.comment-highlight').boundingBox();
      const card = await ada.locator('.comments-panel .thread').first().boundingBox();
      return mark !== null && card !== null && Math.abs(mark.y - card.y) < 40;
    });
    const mark = await editorOf(ada).locator('.comment-highlight').boundingBox();
    const card = await ada.locator('.comments-panel .thread').first().boundingBox();
    expect(Math.abs(mark!.y - card!.y)).toBeLessThan(40);

    // At the same time: Bo types before the word, Ada deletes part of it.
    await editorOf(bo).click();
    await bo.keyboard.press('Control+Home');
    await selectText(ada, 'br');
    await ada.getByRole('button', { name: 'Comment on the selection' }).waitFor();
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

  it('a commenter comments without changing the text; a viewer reads comments only', async () => {
    const ada = await world.newPage();
    const cy = await world.newPage();
    const di = await world.newPage();
    const cyEmail = `cy-${unique()}@example.com`;
    const diEmail = `di-${unique()}@example.com`;
    await signUp(ada, world.url, 'Ada Lovelace', `ada-${unique()}@example.com`);
    await signUp(cy, world.url, 'Cy Commenter', cyEmail);
    await signUp(di, world.url, 'Di Viewer', diEmail);
    const text = 'Plain words to discuss';
    await sharedDocument(ada, text, [
      { page: cy, email: cyEmail, role: 'commenter' },
      { page: di, email: diEmail, role: 'viewer' },
    ]);

    // The commenter cannot type, but the bubble beside a selection starts a comment.
    await cy.getByText('Comment only').waitFor();
    expect(await editorOf(cy).getAttribute('contenteditable')).toBe('false');
    await editorOf(cy).click();
    await cy.keyboard.type('typed by a commenter');
    expect(await contentLines(cy)).toEqual([text]);
    await selectText(cy, 'words');
    await cy.getByRole('button', { name: 'Comment on the selection' }).click();
    await cy.getByRole('combobox', { name: 'New comment' }).fill('Which words?');
    await cy.getByRole('button', { name: 'Comment', exact: true }).click();
    await waitUntil(async () => (await highlights(ada)).join('') === 'words');
    await waitUntil(async () => (await highlights(di)).join('') === 'words');
    expect(await highlights(di)).toEqual(['words']);

    // The viewer sees the thread, and nothing to comment, reply or resolve with.
    const thread = di.locator('.comments-panel .thread').filter({ hasText: 'Which words?' });
    await thread.waitFor();
    await thread.click();
    expect(await di.getByRole('combobox').count()).toBe(0);
    expect(await thread.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    await selectText(di, 'Plain');
    expect(await di.getByRole('button', { name: 'Comment on the selection' }).count()).toBe(0);
    expect(await seriousViolations(di, '.comments-panel')).toEqual([]);
    expect(await contentLines(ada)).toEqual([text]);

    // Its author edits the comment, then deletes it: the thread (its only comment) goes for everyone.
    const cyThread = cy.locator('.comments-panel .thread').filter({ hasText: 'Which words?' });
    await cyThread.getByRole('button', { name: 'Edit' }).click();
    const editBox = cy.getByRole('combobox', { name: 'Edit comment' });
    await editBox.fill('Which words, exactly?');
    await cy.getByRole('button', { name: 'Save' }).click();
    await ada
      .locator('.comments-panel .comment')
      .filter({ hasText: 'Which words, exactly?' })
      .filter({ hasText: '(edited)' })
      .waitFor();
    // Nobody else may edit it.
    expect(await ada.locator('.comments-panel .comment').getByRole('button', { name: 'Edit' }).count()).toBe(
      0,
    );
    await cy.locator('.comments-panel .comment').getByRole('button', { name: 'Delete' }).click();
    await waitUntil(async () => (await ada.locator('.comments-panel .thread').count()) === 0);
    expect(await ada.locator('.comments-panel .thread').count()).toBe(0);
    expect(await highlights(ada)).toEqual([]);
  });

  it('a long discussion opens with the threads first in the text, then lists every one', async () => {
    const ada = await world.newPage();
    const email = `ada-${unique()}@example.com`;
    await signUp(ada, world.url, 'Ada Lovelace', email);
    const words = Array.from({ length: 60 }, (_, i) => `w${String(i + 1).padStart(2, '0')}`);
    await ada.getByRole('button', { name: 'New document' }).click();
    await editorOf(ada).click();
    await ada.keyboard.insertText(words.join(' '));
    await saved(ada);
    const docId = new URL(ada.url()).pathname.split('/').pop()!;
    // 60 threads through the REST API, the last word's first: their age is not their place.
    const api = async (method: string, route: string, token?: string, body?: unknown) => {
      const res = await fetch(`${world.url}/api${route}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(res.ok).toBe(true);
      return res.json();
    };
    const { accessToken } = await api('POST', '/auth/sign-in', undefined, {
      email,
      password: 'correct horse battery staple',
    });
    const { version } = await api('GET', `/documents/${docId}/comments`, accessToken);
    for (let i = words.length - 1; i >= 0; i--)
      await api('POST', `/documents/${docId}/comments`, accessToken, {
        threadId: randomUUID(),
        commentId: randomUUID(),
        anchor: { from: i * 4, to: i * 4 + 3, version },
        body: `About ${words[i]}`,
      });

    // Opening again: the first 50 in the text show while the whole list is held back.
    const asked: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await ada.route(`**/api/documents/${docId}/comments*`, async (route) => {
      const { search } = new URL(route.request().url());
      asked.push(search);
      if (search === '') await held;
      await route.continue();
    });
    await ada.reload();
    const threads = ada.locator('.comments-panel .thread');
    await waitUntil(async () => (await threads.count()) === 50);
    expect(await threads.count()).toBe(50);
    expect(await threads.first().textContent()).toContain('About w01');
    expect(await highlights(ada)).toEqual(words.slice(0, 50));
    release();
    await waitUntil(async () => (await threads.count()) === 60);
    expect(await threads.count()).toBe(60);
    expect(await highlights(ada)).toEqual(words);
    expect(asked).toEqual(['?limit=50', '']);
    await ada.screenshot({ path: path.join(ARTIFACTS, 'comments-long-discussion.png'), fullPage: true });
  });

  it('on a phone the threads are a list under the text, and pass axe', async () => {
    const ada = await world.newPage(PHONE);
    await signUp(ada, world.url, 'Ada Lovelace', `ada-${unique()}@example.com`);
    await sharedDocument(ada, 'Small screens too', []);
    await selectText(ada, 'screens');
    await ada.getByRole('button', { name: 'Comment on the selection' }).click();
    await ada.getByRole('combobox', { name: 'New comment' }).fill('Check on a phone');
    await ada.getByRole('button', { name: 'Comment', exact: true }).click();
    const panel = ada.locator('.comments-panel');
    await panel.locator('.thread').filter({ hasText: 'Check on a phone' }).waitFor();
    expect(await panel.getAttribute('data-layout')).toBe('list');
    const page = await editorOf(ada).boundingBox();
    const list = await panel.boundingBox();
    expect(list!.y).toBeGreaterThanOrEqual(page!.y + page!.height);
    expect(list!.x + list!.width).toBeLessThanOrEqual(PHONE.width);
    expect(await highlights(ada)).toEqual(['screens']);
    expect(await seriousViolations(ada, '.comments-panel')).toEqual([]);
    await ada.screenshot({ path: path.join(ARTIFACTS, 'comments-phone.png'), fullPage: true });
  });
});
