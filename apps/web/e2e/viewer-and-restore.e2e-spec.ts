import path from 'node:path';
import { ARTIFACTS } from './browser';
import { unique, useE2eWorld } from './harness';
import { acceptInvitation, contentLines, editorOf, invite, saved, signUp, waitUntil } from './pages';

jest.setTimeout(180_000);

const world = useE2eWorld('web_e2e_restore', 4000);
const newPage = () => world.newPage();

describe('a viewer and a restore', () => {
  it('a viewer cannot type; restoring a named version shows the old text in both browsers', async () => {
    const ada = await newPage();
    const cy = await newPage();
    const cyEmail = `cy-${unique()}@example.com`;
    await signUp(ada, world.url, 'Ada Lovelace', `ada-${unique()}@example.com`);
    await signUp(cy, world.url, 'Cy Viewer', cyEmail);

    await ada.getByRole('button', { name: 'New document' }).click();
    await editorOf(ada).click();
    await ada.keyboard.type('First draft of the plan');
    await saved(ada);
    await invite(ada, cyEmail, 'viewer');

    await acceptInvitation(cy);
    await cy.getByText('View only').waitFor();
    // A viewer gets no Share button.
    expect(await cy.getByRole('button', { name: 'Share' }).count()).toBe(0);
    await waitUntil(async () => (await contentLines(cy))[0] === 'First draft of the plan');

    // The viewer's keystrokes change nothing, anywhere.
    await editorOf(cy).click();
    await cy.keyboard.type('viewer was here');
    expect(await editorOf(cy).getAttribute('contenteditable')).toBe('false');
    expect(await contentLines(cy)).toEqual(['First draft of the plan']);

    // Ada names this version (in a dialog, not a browser prompt), rewrites the text, then restores the name.
    ada.on('dialog', (dialog) => {
      throw new Error(`a browser ${dialog.type()} dialog opened: ${dialog.message()}`);
    });
    await ada.getByRole('button', { name: 'History' }).click();
    await ada.getByRole('button', { name: 'Name current version…' }).click();
    const naming = ada.getByRole('dialog', { name: /Name version/ });
    await naming.getByLabel('Version name').fill('First draft');
    await naming.getByRole('button', { name: 'Save name' }).click();
    await naming.waitFor({ state: 'detached' });
    await ada.getByRole('button', { name: /First draft/ }).waitFor();
    await editorOf(ada).click();
    await ada.keyboard.press('Control+A');
    await ada.keyboard.type('Completely different text');
    await saved(ada);
    await waitUntil(async () => (await contentLines(cy))[0] === 'Completely different text');
    expect(await contentLines(cy)).toEqual(['Completely different text']);

    await ada.getByRole('button', { name: /First draft/ }).click();
    await ada.locator('.version-view').getByText('First draft of the plan').waitFor();
    await ada.screenshot({ path: path.join(ARTIFACTS, 'history-panel.png') });
    await ada.getByRole('button', { name: 'Restore this version' }).click();
    await ada
      .getByRole('dialog', { name: /Restore version/ })
      .getByRole('button', { name: 'Restore', exact: true })
      .click();
    await waitUntil(async () => (await contentLines(ada))[0] === 'First draft of the plan');
    await waitUntil(async () => (await contentLines(cy))[0] === 'First draft of the plan');
    expect(await contentLines(ada)).toEqual(['First draft of the plan']);
    expect(await contentLines(cy)).toEqual(['First draft of the plan']);
    await ada
      .getByRole('button', { name: /Restore/ })
      .first()
      .waitFor();
  });
});
