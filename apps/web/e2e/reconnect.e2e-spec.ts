import path from 'node:path';
import type { Page, WebSocketRoute } from 'playwright-core';
import { ARTIFACTS } from './browser';
import { useE2eWorld } from './harness';
import { contentLines, editorOf, saved, sharedDocument, waitUntil } from './pages';

jest.setTimeout(180_000);

const world = useE2eWorld('web_e2e_reconnect', 4160);

/**
 * Engine.IO's open packet. While the stand-in gateway is "down", each new
 * socket gets it and is closed at once: socket.io-client counts that as a
 * failed attempt and tries again on its back-off, as after a refused
 * connection. (Closed before this packet, socket.io-client 4.8 would wait out
 * its 20 s connect timeout first, a wait a refused connection never causes.)
 */
const ENGINE_OPEN = `0${JSON.stringify({ sid: 'down', upgrades: [], pingInterval: 25_000, pingTimeout: 20_000, maxPayload: 1e6 })}`;

const statusOf = (page: Page) => page.getByRole('status');

/**
 * What a person would take for something gone wrong: an alert (the
 * connection error sentence, a refused edit's notice) or an error line.
 */
async function problemsShown(page: Page): Promise<string[]> {
  return page.locator('[role="alert"], .error').allInnerTexts();
}

/** Waits until Bob's page shows exactly `lines` (each edit once, nothing more). */
async function bobSees(bob: Page, lines: string[]): Promise<void> {
  await waitUntil(async () => (await contentLines(bob)).join('|') === lines.join('|'));
  expect(await contentLines(bob)).toEqual(lines);
}

/**
 * After the connection is back: the line says saved, nothing says an error,
 * the offline words reached Bob once, and a new edit still goes through (so
 * the page is really connected, and no late error turned up meanwhile).
 */
async function expectRecovered(ada: Page, bob: Page, before: string): Promise<void> {
  await saved(ada);
  await bobSees(bob, [before]);
  expect(await problemsShown(ada)).toEqual([]);

  await editorOf(ada).click();
  await ada.keyboard.press('Control+End');
  await ada.keyboard.type(' Back on land.');
  await saved(ada);
  await bobSees(bob, [`${before} Back on land.`]);
  expect(await statusOf(ada).innerText()).toBe('All changes saved');
  expect(await problemsShown(ada)).toEqual([]);
  expect(await problemsShown(bob)).toEqual([]);
}

describe('the connection coming back', () => {
  it('after the browser lost its network: offline and counting while away, then saved, no error left, the offline edits at the other person once, and new edits flow', async () => {
    const { ada, bob } = await sharedDocument(world);
    await editorOf(ada).click();
    await ada.keyboard.type('Before the tunnel.');
    await saved(ada);
    await bobSees(bob, ['Before the tunnel.']);

    await ada.context().setOffline(true);
    await statusOf(ada)
      .filter({ hasText: /^Offline$/ })
      .waitFor({ timeout: 10_000 });
    await editorOf(ada).click();
    await ada.keyboard.press('Control+End');
    const typed = ' Typed underground.';
    await ada.keyboard.type(typed);
    // One edit per keystroke, kept on the page and not sent.
    await statusOf(ada)
      .filter({ hasText: `Offline: ${typed.length} edits will be sent when you reconnect` })
      .waitFor({ timeout: 10_000 });
    expect(await contentLines(ada)).toEqual([`Before the tunnel.${typed}`]);
    expect(await contentLines(bob)).toEqual(['Before the tunnel.']);
    await ada.screenshot({ path: path.join(ARTIFACTS, 'reconnect-offline.png') });

    await ada.context().setOffline(false);
    await expectRecovered(ada, bob, `Before the tunnel.${typed}`);
    await ada.screenshot({ path: path.join(ARTIFACTS, 'reconnect-back-online.png') });

    // Exactly once also in what the server keeps, not only on the open pages.
    await bob.reload();
    await bobSees(bob, [`Before the tunnel.${typed} Back on land.`]);
  });

  it('after the server dropped the connection and refused new ones for a while (as a gateway restart does): not saved while away, then saved, no error left, the edits at the other person once', async () => {
    // Ada's socket goes through a relay the test can cut at both ends (the
    // gateway sees its socket end, as when it restarts): the browser keeps its
    // network, so only the socket notices (no `offline` event).
    let gatewayDown = false;
    const relayed: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
    const { ada, bob } = await sharedDocument(world, (page) =>
      page.routeWebSocket(/\/socket\.io\//, (ws) => {
        if (gatewayDown) {
          ws.send(ENGINE_OPEN);
          return ws.close({ code: 1011, reason: 'gateway restarting' });
        }
        relayed.push({ page: ws, server: ws.connectToServer() });
      }),
    );
    await editorOf(ada).click();
    await ada.keyboard.type('Before the restart.');
    await saved(ada);
    await bobSees(bob, ['Before the restart.']);

    gatewayDown = true;
    const open = relayed.splice(0);
    expect(open.length).toBeGreaterThan(0);
    for (const { page, server } of open) {
      await server.close({ code: 1000, reason: 'the relay is cut' });
      await page.close({ code: 1011, reason: 'gateway restarting' });
    }
    // The browser still has its network: the page keeps trying, and says so.
    await statusOf(ada)
      .filter({ hasText: /^Reconnecting…$/ })
      .waitFor({ timeout: 10_000 });
    await editorOf(ada).click();
    await ada.keyboard.press('Control+End');
    const typed = ' Typed while it restarted.';
    await ada.keyboard.type(typed);
    await statusOf(ada)
      .filter({ hasText: `Reconnecting… ${typed.length} edits not saved yet` })
      .waitFor({ timeout: 10_000 });
    expect(await contentLines(ada)).toEqual([`Before the restart.${typed}`]);
    expect(await contentLines(bob)).toEqual(['Before the restart.']);
    await ada.screenshot({ path: path.join(ARTIFACTS, 'reconnect-gateway-down.png') });

    gatewayDown = false;
    await expectRecovered(ada, bob, `Before the restart.${typed}`);
    // The dropped connection left with its caret (the gateway saw it end before
    // the new one joined): Ada sees no second self, Bob one Ada.
    expect(await ada.locator('.collab-caret-label').allInnerTexts()).toEqual([]);
    const bobsCarets = () => bob.locator('.collab-caret-label').allInnerTexts();
    await waitUntil(async () => (await bobsCarets()).join('|') === 'Ada Lovelace');
    expect(await bobsCarets()).toEqual(['Ada Lovelace']);
    await ada.screenshot({ path: path.join(ARTIFACTS, 'reconnect-gateway-back.png') });
    await bob.reload();
    await bobSees(bob, [`Before the restart.${typed} Back on land.`]);
  });
});
