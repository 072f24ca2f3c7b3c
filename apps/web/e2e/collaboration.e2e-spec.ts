import path from 'node:path';
import { ARTIFACTS } from './browser';
import { useE2eWorld } from './harness';
import { contentHtml, contentLines, editorOf, saved, sharedDocument, waitUntil } from './pages';

jest.setTimeout(180_000);

const world = useE2eWorld('web_e2e', 3960);

describe('two people editing in two browsers', () => {
  it('share, type at once with formatting and Enter, end identical, and see each other’s carets', async () => {
    const { ada, bob } = await sharedDocument(world);
    await ada.screenshot({ path: path.join(ARTIFACTS, 'documents-before.png') }).catch(() => undefined);

    // Ada starts the document; then both type at the same time in different
    // places: Ada at the end with bold, Bob at the top with Enter.
    await editorOf(ada).click();
    await ada.keyboard.type('Shared notes');
    await ada.keyboard.press('Enter');
    await ada.keyboard.type('Second line');
    await saved(ada);
    // (Text, not getByText: Ada's caret label may sit inside the line on Bob's screen.)
    await waitUntil(async () => (await contentLines(bob)).join('|') === 'Shared notes|Second line');
    expect(await contentLines(bob)).toEqual(['Shared notes', 'Second line']);
    await editorOf(bob).click();
    await Promise.all([
      (async () => {
        await ada.keyboard.press('Control+End');
        await ada.keyboard.type(', Ada writes ');
        await ada.keyboard.press('Control+B');
        await ada.keyboard.type('boldly');
        await ada.keyboard.press('Control+B');
        await ada.keyboard.type(' here.');
      })(),
      (async () => {
        await bob.keyboard.press('Control+Home');
        await bob.keyboard.type('Bob line one');
        await bob.keyboard.press('Enter');
        await bob.keyboard.type('Bob line two');
        await bob.keyboard.press('Enter');
      })(),
    ]);
    await Promise.all([saved(ada), saved(bob)]);
    await waitUntil(async () => (await contentHtml(ada)) === (await contentHtml(bob)));
    expect(await contentHtml(bob)).toBe(await contentHtml(ada));
    const html = await contentHtml(ada);
    expect(html).toContain('<strong>boldly</strong>');
    expect(await contentLines(ada)).toEqual([
      'Bob line one',
      'Bob line two',
      'Shared notes',
      'Second line, Ada writes boldly here.',
    ]);

    // Each sees the other's caret, labelled with their name.
    await editorOf(bob).click();
    await bob.keyboard.press('End');
    await ada.locator('.collab-caret-label', { hasText: 'Bob Kahn' }).waitFor({ timeout: 10_000 });
    await editorOf(ada).click();
    await ada.keyboard.press('End');
    await bob.locator('.collab-caret-label', { hasText: 'Ada Lovelace' }).waitFor({ timeout: 10_000 });
    await ada.screenshot({ path: path.join(ARTIFACTS, 'editor-two-carets.png') });

    await ada.getByRole('link', { name: 'Collab' }).click();
    await ada.getByRole('heading', { name: 'Documents' }).waitFor();
    await ada.getByRole('link', { name: 'Untitled document' }).waitFor();
    await ada.screenshot({ path: path.join(ARTIFACTS, 'documents.png') });
  });
});
