/**
 * Debian's chromium (`apt-get install -y chromium`; `.ci/run` installs it):
 * the browser tests and the editor benchmark drive it through playwright-core
 * and never download a browser. `CHROMIUM_PATH` names another one.
 */
export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
}

/**
 * Flags for a headless Chromium on a CI machine or a container: no sandbox
 * (root, no user namespaces), no GPU, and none of the background traffic or
 * first-run work that would add noise to what is measured or tested.
 */
export const HEADLESS_CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
