// Keystroke cost in the browser: a Tiptap editor with collabExtensions() bound
// through libs/editor-binding (as apps/web binds it), holding a 100,000
// character document, in Debian's chromium driven by playwright-core. Prints
// one JSON line per figure, the headline last. A benchmark, not a test: it
// fails only when the editor ends with the wrong text, never on timing.
//
//   npm run bench:editor             (no build needed: the page is bundled
//                                     from the libs' sources by Vite)
//   BENCH_KEYSTROKES=1000 node bench/editor/run.mjs
//
// The document is the automerge-paper trace (read from ../shared/traces next
// to the repository; override with OT_TRACES_DIR) replayed until it holds
// 100,000 characters (LaTeX source, 1,130 lines; BENCH_DOC_LENGTH changes
// it). The keystrokes are the trace's next txns (each inserts or deletes one
// character at its real position):
//
//   local   the first BENCH_KEYSTROKES (default 3000): the caret is put at the
//           position (untimed), then a real key is pressed (Input events over
//           CDP: the character, Enter, or Backspace after the deleted one).
//           Measured in the page from the keydown (capture, before any
//           editor handler) to the binding's outgoing Delta (submit()).
//   remote  the next BENCH_KEYSTROKES, as Deltas from the SDK's 'remote'
//           event, one per frame, each arriving at the start of a frame (in
//           a requestAnimationFrame callback): `apply` is the binding's
//           transaction (DOM updated), `screen` runs until that frame's style,
//           layout and paint are done (a task posted from the callback runs
//           after them). The wait for the frame (up to one vsync interval) is
//           the display's, not the editor's, and is not counted; `idle_frame`
//           is the same measure with nothing changed (the floor).
//
// The first BENCH_WARMUP (default 200) keystrokes of each path are not counted.
// BENCH_PROFILE=file.cpuprofile records a CPU profile of both paths (page not
// minified, so functions keep their names; open it in Chrome's DevTools) and
// prints the functions with the most self time to stderr.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const tracesDir = process.env.OT_TRACES_DIR ?? path.resolve(repoRoot, '../shared/traces');
const keystrokes = Math.max(1, Number(process.env.BENCH_KEYSTROKES ?? 3000));
const warmup = Math.max(0, Number(process.env.BENCH_WARMUP ?? 200));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const profilePath = process.env.BENCH_PROFILE;
const DOC_LENGTH = Math.max(1, Number(process.env.BENCH_DOC_LENGTH ?? 100_000));

// Vite and playwright-core as the web app has them (no packages of its own).
const webRequire = createRequire(path.join(repoRoot, 'apps/web/package.json'));
const importFrom = async (name) => {
  const pkgPath = webRequire.resolve(`${name}/package.json`);
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const root = pkg.exports?.['.'];
  const entry =
    typeof root === 'string' ? root : (root?.import?.default ?? root?.import ?? pkg.module ?? pkg.main);
  return import(pathToFileURL(path.join(path.dirname(pkgPath), entry)).href);
};

function loadKeystrokes() {
  const trace = JSON.parse(
    gunzipSync(readFileSync(path.join(tracesDir, 'automerge-paper.json.gz'))).toString('utf8'),
  );
  let text = '';
  let i = 0;
  for (; text.length < DOC_LENGTH; i++) {
    const [position, deleteCount, insert] = trace.txns[i].patches[0];
    text = text.slice(0, position) + insert + text.slice(position + deleteCount);
  }
  const start = text;
  const picked = trace.txns.slice(i, i + 2 * keystrokes).map((txn) => {
    if (txn.patches.length !== 1) throw new Error('automerge-paper: one patch per txn expected');
    const [position, deleteCount, insert] = txn.patches[0];
    if (deleteCount + insert.length !== 1) throw new Error('automerge-paper: one character per txn expected');
    text = text.slice(0, position) + insert + text.slice(position + deleteCount);
    return { position, insert };
  });
  if (picked.length < 2 * keystrokes)
    throw new Error(`the trace has only ${picked.length} txns after ${DOC_LENGTH} characters`);
  // The text after the local keystrokes (checked before the remote ones start).
  let afterLocal = start;
  for (const { position, insert } of picked.slice(0, keystrokes))
    afterLocal = insert
      ? afterLocal.slice(0, position) + insert + afterLocal.slice(position)
      : afterLocal.slice(0, position) + afterLocal.slice(position + 1);
  return {
    start,
    local: picked.slice(0, keystrokes),
    remote: picked.slice(keystrokes),
    afterLocal,
    end: text,
  };
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
function stats(values) {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  const round = (v) => Math.round(v * 1000) / 1000;
  return {
    n: sorted.length,
    p50_ms: round(percentile(sorted, 50)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted[sorted.length - 1]),
    mean_ms: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
  };
}

async function bundlePage() {
  const { build } = await importFrom('vite');
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'bench-editor-'));
  const libs = ['editor-binding', 'ot'];
  await build({
    root: here,
    logLevel: 'warn',
    configFile: false,
    resolve: {
      alias: Object.fromEntries(
        libs.map((lib) => [`@collab/${lib}`, path.join(repoRoot, `libs/${lib}/src/index.ts`)]),
      ),
    },
    build: { outDir, emptyOutDir: true, minify: !profilePath },
  });
  return outDir;
}

function serve(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    const file = path.join(dir, path.normalize(pathname === '/' ? '/index.html' : pathname));
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res
        .writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const print = (line) => console.log(JSON.stringify({ bench: 'editor', ...line }));

const data = loadKeystrokes();
const outDir = await bundlePage();
const server = await serve(outDir);
const { chromium } = await importFrom('playwright-core');
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('console', (m) => m.type() === 'error' && console.error(`[browser] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[browser] ${e.message}`));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => 'bench' in window);
  const loaded = await page.evaluate((content) => window.bench.setup(content), `${data.start}\n`);
  print({
    phase: 'document',
    characters: data.start.length,
    lines: loaded.lines,
    delta_length: loaded.length,
    keystrokes,
    warmup,
  });

  const cdp = profilePath ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }

  // Local: real key presses at the trace's positions.
  const local = [];
  for (const { position, insert } of data.local) {
    await page.evaluate((index) => window.bench.caretAt(index), insert ? position : position + 1);
    if (insert === '\n') await page.keyboard.press('Enter');
    else if (insert) await page.keyboard.type(insert);
    else await page.keyboard.press('Backspace');
    const { ms, deltas } = await page.evaluate(() => window.bench.lastKeystroke());
    if (deltas !== 1) throw new Error(`a keystroke produced ${deltas} Deltas, expected 1`);
    local.push(ms);
  }
  const textAfterLocal = await page.evaluate(() => window.bench.text());
  if (textAfterLocal !== `${data.afterLocal}\n`)
    throw new Error('after the local keystrokes the editor does not hold the trace text');
  print({ path: 'local_edit_to_delta', ...stats(local.slice(warmup)) });

  // Remote: Deltas as the SDK emits them.
  const changes = data.remote.map(({ position, insert }) =>
    insert
      ? [{ retain: position }, { insert }].filter((op) => op.retain !== 0)
      : [{ retain: position }, { delete: 1 }].filter((op) => op.retain !== 0),
  );
  const remote = await page.evaluate((c) => window.bench.remote(c), changes);
  const textAfterRemote = await page.evaluate(() => window.bench.text());
  if (textAfterRemote !== `${data.end}\n`)
    throw new Error('after the remote Deltas the editor does not hold the trace text');
  print({ path: 'remote_delta_apply', ...stats(remote.apply.slice(warmup)) });
  const screen = stats(remote.screen.slice(warmup));
  print({ path: 'remote_delta_to_screen', ...screen });
  const idle = stats(await page.evaluate((n) => window.bench.idleFrames(n), 500));
  print({ path: 'idle_frame', ...idle });

  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(profilePath, JSON.stringify(profile));
    const self = new Map();
    const interval = (profile.endTime - profile.startTime) / profile.samples.length / 1000;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const id of profile.samples) {
      const { functionName, url, lineNumber } = byId.get(id).callFrame;
      const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + interval);
    }
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
    for (const [fn, ms] of top) console.error(`${ms.toFixed(1).padStart(9)} ms  ${fn}`);
  }

  const localStats = stats(local.slice(warmup));
  print({
    headline: true,
    characters: data.start.length,
    local_edit_to_delta_p50_ms: localStats.p50_ms,
    local_edit_to_delta_p99_ms: localStats.p99_ms,
    remote_delta_to_screen_p50_ms: screen.p50_ms,
    remote_delta_to_screen_p99_ms: screen.p99_ms,
    target_p99_ms: 4,
  });
} finally {
  await browser.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
}
