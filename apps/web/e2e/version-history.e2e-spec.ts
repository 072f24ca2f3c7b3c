import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { seriousViolations } from './a11y';
import { ARTIFACTS } from './browser';
import { unique, useE2eWorld } from './harness';
import { horizontalOverflow } from './layout';
import { acceptInvitation, contentLines, editorOf, invite, saved, signUp, waitUntil } from './pages';

jest.setTimeout(240_000);

const world = useE2eWorld('web_e2e_history', 4200);

const ANA = 'Ana Lima';
const BRUNO = 'Bruno Costa';

/** Someone's colour as the history's avatars show it (computed, `rgb(...)`). */
const colourOf = (page: Page, name: string) =>
  page
    .locator(`.history-panel .avatar[aria-label="${name}"]`)
    .first()
    .evaluate((el) => getComputedStyle(el).backgroundColor);

/**
 * The underline colours of the highlighted runs (`runSelector`) under the
 * first and the last character of `text` inside `container`, once both are
 * highlighted. Other people's carets (widgets that may split a run) are not
 * part of the text.
 */
async function underlineOf(container: Locator, runSelector: string, text: string): Promise<string> {
  const read = () =>
    container.evaluate(
      (root, [selector, wanted]) => {
        const nodes: { node: Text; start: number }[] = [];
        let all = '';
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
          acceptNode: (n) =>
            n.parentElement?.closest('.collab-caret') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
        });
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          nodes.push({ node: n as Text, start: all.length });
          all += n.textContent ?? '';
        }
        const at = all.indexOf(wanted);
        if (at < 0) return null;
        const colourAt = (index: number) => {
          const hit = [...nodes].reverse().find((n) => n.start <= index);
          const run = hit?.node.parentElement?.closest(selector);
          return run ? getComputedStyle(run).borderBottomColor : null;
        };
        const first = colourAt(at);
        const last = colourAt(at + wanted.length - 1);
        return first && first === last ? first : null;
      },
      [runSelector, text] as const,
    );
  await waitUntil(async () => (await read()) !== null);
  const colour = await read();
  if (colour === null) throw new Error(`"${text}" is not highlighted as one author's (${runSelector})`);
  return colour;
}

/** The colour of the signed-in person's avatar in the top bar. */
const ownColour = (page: Page) =>
  page.locator('.account-button .avatar').evaluate((el) => getComputedStyle(el).backgroundColor);

/**
 * Signs `name` up in a new browser with a colour other than `other`'s (colours
 * come from the email, so another address gets another one), so that the
 * colour checks below can tell the two apart.
 */
async function signUpInAnotherColour(name: string, other: string): Promise<{ page: Page; email: string }> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const page = await world.newPage();
    const email = `bruno-${unique()}@example.com`;
    await signUp(page, world.url, name, email);
    if ((await ownColour(page)) !== other) return { page, email };
    await page.close();
  }
  throw new Error('no address with another colour in 8 tries');
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

describe('readable version history', () => {
  it('sessions, a version in place with the changes in their authors’ colours, live authors, copy', async () => {
    const ana = await world.newPage();
    await signUp(ana, world.url, ANA, `ana-${unique()}@example.com`);
    const { page: bruno, email: brunoEmail } = await signUpInAnotherColour(BRUNO, await ownColour(ana));

    // Ana writes, and shares with Bruno, who adds to it.
    await ana.getByRole('button', { name: 'New document' }).click();
    await editorOf(ana).click();
    await ana.keyboard.type('Plan for the week');
    await saved(ana);
    await invite(ana, brunoEmail);
    await acceptInvitation(bruno);
    await waitUntil(async () => (await contentLines(bruno))[0] === 'Plan for the week');
    await editorOf(bruno).click();
    await bruno.keyboard.press('Control+End');
    await bruno.keyboard.type(' with notes from Bruno');
    await saved(bruno);
    await waitUntil(async () => (await contentLines(ana))[0] === 'Plan for the week with notes from Bruno');

    // Show authors: the live text in each writer's colour, hover says who and when.
    await ana.getByRole('button', { name: 'History', exact: true }).click();
    const panel = ana.getByRole('complementary', { name: 'Version history' });
    await panel.locator('.history-session').first().waitFor();
    const anaColour = await colourOf(ana, ANA);
    const brunoColour = await colourOf(ana, BRUNO);
    expect(brunoColour).not.toBe(anaColour);
    await panel.getByLabel('Show authors').check();
    const live = editorOf(ana);
    expect(await underlineOf(live, '.author-run', 'Plan for the week')).toBe(anaColour);
    expect(await underlineOf(live, '.author-run', 'notes from Bruno')).toBe(brunoColour);
    const brunoRun = live.locator(`.author-run[title^="${BRUNO}, "]`).first();
    expect(await brunoRun.getAttribute('title')).toMatch(new RegExp(`^${BRUNO}, Today \\d\\d:\\d\\d$`));
    // Text others type takes their colour as it arrives; Ana's own typing takes hers.
    const newestSpan = () =>
      panel.locator('.history-session').first().locator('.session-row .muted').textContent();
    const spanBefore = await newestSpan();
    await bruno.keyboard.type(' and a late idea');
    expect(await underlineOf(live, '.author-run', 'and a late idea')).toBe(brunoColour);
    // The open history follows: the newest session grows without reopening the panel.
    await waitUntil(async () => (await newestSpan()) !== spanBefore);
    // Bruno deletes Ana's first word.
    await bruno.keyboard.press('Control+Home');
    for (let i = 0; i < 'Plan '.length; i++) await bruno.keyboard.press('Delete');
    await saved(bruno);
    // Under load a key press can go missing (CI's first spec, on a cold browser): what is left of the
    // word is deleted again, so the history below has the edits it is about. (To find: why one goes.)
    const left = (await contentLines(bruno))[0].indexOf('for the week');
    if (left > 0) {
      await bruno.keyboard.press('Control+Home');
      for (let i = 0; i < left; i++) await bruno.keyboard.press('Delete');
      await saved(bruno);
    }
    await waitUntil(async () => (await contentLines(ana))[0].startsWith('for the week'));
    expect((await contentLines(ana))[0]).toBe('for the week with notes from Bruno and a late idea');
    await editorOf(ana).click();
    await ana.keyboard.press('Control+Home');
    await ana.keyboard.type('Draft: ');
    expect(await underlineOf(live, '.author-run', 'Draft:')).toBe(anaColour);
    await Promise.all([saved(ana), saved(bruno)]);
    await shot(ana, 'history-show-authors');

    // The newest session opens in place, read-only, with its changes highlighted.
    await panel.getByRole('button', { name: 'Close history' }).click();
    await ana.getByRole('button', { name: 'History', exact: true }).click();
    const session = panel.locator('.history-session').first();
    await session.getByRole('button', { name: new RegExp(`^Today \\d\\d:\\d\\d, .*${BRUNO}`) }).click();
    const view = ana.locator('.version-view');
    const heading = view.getByRole('heading', { name: /^Viewing version \d+, not live$/ });
    await heading.waitFor();
    expect(await editorOf(ana).isVisible()).toBe(false);
    expect(await view.locator('.version-body').getAttribute('contenteditable')).toBe('false');
    const inserted = view.locator('.version-body');
    expect(await underlineOf(inserted, 'ins.diff-insert', 'notes from Bruno')).toBe(brunoColour);
    expect(await underlineOf(inserted, 'ins.diff-insert', 'Draft:')).toBe(anaColour);
    // Ana's word that Bruno deleted: struck through in Bruno's colour, the hover says both.
    const deleted = view.locator('del.diff-delete').filter({ hasText: 'Plan' }).first();
    expect(await deleted.evaluate((el) => getComputedStyle(el).textDecorationColor)).toBe(brunoColour);
    expect(await deleted.getAttribute('title')).toMatch(
      new RegExp(`^Deleted by ${BRUNO}, Today \\d\\d:\\d\\d \\(written by ${ANA}\\)$`),
    );

    // Next / Previous change step through them and say whose they are.
    const position = view.locator('.change-position');
    await position.filter({ hasText: /changes? since version/ }).waitFor();
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      await view.getByRole('button', { name: 'Next change' }).click();
      await position.filter({ hasText: /^Change \d+ of \d+/ }).waitFor();
      seen.push((await position.textContent()) ?? '');
      await view.locator('.diff-current').first().waitFor();
    }
    expect(seen.some((s) => s.includes(`by ${BRUNO}`))).toBe(true);
    expect(seen[0]).toMatch(/^Change 1 of /);
    await view.getByRole('button', { name: 'Previous change' }).click();
    expect(await position.textContent()).toBe(seen[2]);
    await shot(ana, 'history-version-diff');
    expect(await seriousViolations(ana, '.version-view')).toEqual([]);

    // Any two versions: from the empty document, everything is an insertion, in each writer's colour.
    await view.getByLabel('Compare with').selectOption({ label: 'Version 0 (empty)' });
    await position.filter({ hasText: 'since version 0' }).waitFor();
    expect(await underlineOf(view.locator('.version-body'), 'ins.diff-insert', 'for the week')).toBe(
      anaColour,
    );
    await shot(ana, 'history-compare-with-0');
    // Or any version by its number: one past head is refused with a message, version 1 is compared.
    const typed = view.getByLabel(/^Any version number, 0 to \d+$/);
    await typed.fill('100000');
    await view.getByRole('button', { name: 'Compare', exact: true }).click();
    await view.getByRole('alert').filter({ hasText: 'There is no version 100000 yet' }).waitFor();
    expect(await typed.getAttribute('aria-invalid')).toBe('true');
    await typed.fill('1');
    await view.getByRole('button', { name: 'Compare', exact: true }).click();
    await position.filter({ hasText: /since version 1\.$/ }).waitFor();
    expect(await view.getByLabel('Compare with').inputValue()).toBe('1');

    // Esc returns to the live document.
    await ana.keyboard.press('Escape');
    await heading.waitFor({ state: 'detached' });
    await editorOf(ana).waitFor();

    // Copy as a new document: Ana's own, with the version's text.
    await session.getByRole('button', { name: new RegExp(`^Today \\d\\d:\\d\\d, .*${BRUNO}`) }).click();
    await heading.waitFor();
    // Name this version from the view; "Only named versions" then lists it alone.
    await view.getByRole('button', { name: 'Name this version…' }).click();
    const naming = ana.getByRole('dialog', { name: /Name version/ });
    await naming.getByLabel('Version name').fill('Agreed plan');
    await naming.getByRole('button', { name: 'Save name' }).click();
    await naming.waitFor({ state: 'detached' });
    await heading.waitFor();
    await panel.getByRole('button', { name: /Agreed plan/ }).waitFor();
    await panel.getByLabel('Only named versions').check();
    expect(await panel.locator('.history-session').count()).toBe(0);
    expect(await panel.locator('.history-named').count()).toBe(1);
    await shot(ana, 'history-only-named');
    await panel.getByLabel('Only named versions').uncheck();
    await view.getByRole('button', { name: 'Copy as new document' }).click();
    await view
      .getByRole('status')
      .filter({ hasText: /^Copied as “.* \(version \d+\)”/ })
      .waitFor();
    const sourceUrl = ana.url();
    await view.getByRole('link', { name: 'Open the copy' }).click();
    await ana.waitForURL((url) => url.toString() !== sourceUrl);
    await waitUntil(
      async () =>
        (await contentLines(ana))[0] === 'Draft: for the week with notes from Bruno and a late idea',
    );
    expect(await contentLines(ana)).toEqual(['Draft: for the week with notes from Bruno and a late idea']);
    expect(await ana.getByLabel('Document title').inputValue()).toMatch(/\(version \d+\)$/);
    await shot(ana, 'history-copy-opened');

    // On a phone the version fills the screen (the history sheet steps aside), and still passes axe.
    await ana.goto(sourceUrl);
    await ana.setViewportSize({ width: 390, height: 844 });
    await ana.getByRole('button', { name: 'History', exact: true }).click();
    await session.getByRole('button', { name: new RegExp(`^Today \\d\\d:\\d\\d, .*${BRUNO}`) }).click();
    await heading.waitFor();
    expect(await panel.isVisible()).toBe(false);
    expect(await horizontalOverflow(ana)).toBeLessThanOrEqual(0);
    await view.getByRole('button', { name: 'Next change' }).click();
    await position.filter({ hasText: /^Change 1 of / }).waitFor();
    await shot(ana, 'history-version-phone');
    expect(await seriousViolations(ana, '.version-view')).toEqual([]);
    await view.getByRole('button', { name: 'Back to live document' }).click();
    await heading.waitFor({ state: 'detached' });
    await panel.waitFor();
  });
});
