// The browser cost of the editor binding, on a 100,000-character document in
// Debian's chromium driven by playwright-core: a Tiptap editor with
// collabExtensions() bound through libs/editor-binding (as apps/web binds
// it), and, for remote changes, two Tiptap editors on the same document
// applying the same change Tiptap's own way. Prints one JSON line per figure,
// the headline last. A benchmark, not a test: it fails only when an editor
// ends with the wrong document, never on timing.
//
//   npm run bench:editor             (no build needed: the page is bundled
//                                     from the libs' sources by Vite)
//   BENCH_KEYSTROKES=1000 BENCH_FORMATS=300 node bench/editor/run.mjs
//
// The document is the automerge-paper trace (read from ../shared/traces next
// to the repository; override with OT_TRACES_DIR) replayed until it holds
// 100,000 characters (LaTeX source, 1,130 lines; BENCH_DOC_LENGTH changes
// it). The keystrokes are the trace's next txns (each inserts or deletes one
// character at its real position):
//
//   local   the first BENCH_KEYSTROKES (default 2000), on the bound editor:
//           the caret is put at the position (untimed), then a real key is
//           pressed (Input events over CDP: the character, Enter, or
//           Backspace after the deleted one). Measured in the page from the
//           keydown (capture, before any editor handler) to the binding's
//           outgoing Delta (submit()). They also leave the bound editor with
//           a full undo stack, which every remote change rebases.
//   remote  the next BENCH_KEYSTROKES as remote changes, then BENCH_FORMATS
//           (default 500) remote "bold one character" changes at the
//           positions of those keystrokes, each applied three ways (see
//           page.js): `binding` (a Delta through the SDK's 'remote' event),
//           `tiptap_commands` (insertContentAt / deleteRange /
//           setTextSelection + setMark, the baseline of the ratio) and
//           `tiptap_transaction` (a bare tr.insertText / tr.delete /
//           tr.addMark dispatched to the view: the floor). Every sample is
//           called at the start of a frame of its own: `apply` runs from the
//           call to the end of its synchronous dispatch (DOM updated),
//           `frame` until that frame's style, layout and paint are done. The
//           paths take turns sample by sample.
//
// The page is served cross-origin isolated, so performance.now() has
// microsecond resolution (Chromium coarsens it to 100 us otherwise). The
// first BENCH_WARMUP (default 200) samples of each path are not counted.
// BENCH_PROFILE=file.cpuprofile records a CPU profile of the remote phase
// (page not minified, so functions keep their names; open it in Chrome's
// DevTools) and prints the functions with the most self time to stderr.
// BENCH_BINDING_SRC=dir bundles another copy of libs/editor-binding/src (kept
// inside the repository so its imports resolve), for a before/after run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

// Built by `npm run bench:editor` (nx run @collab/testing:build).
const { chromiumPath, HEADLESS_CHROMIUM_ARGS } = createRequire(import.meta.url)(
  '../../libs/testing/dist/index.js',
);

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const tracesDir = process.env.OT_TRACES_DIR ?? path.resolve(repoRoot, '../shared/traces');
const keystrokes = Math.max(1, Number(process.env.BENCH_KEYSTROKES ?? 2000));
const formats = Math.max(1, Number(process.env.BENCH_FORMATS ?? 500));
const warmup = Math.max(0, Number(process.env.BENCH_WARMUP ?? 200));
const profilePath = process.env.BENCH_PROFILE;
const DOC_LENGTH = Math.max(1, Number(process.env.BENCH_DOC_LENGTH ?? 100_000));
// Another copy of the binding's sources (inside the repository, so its imports resolve), for an A/B run.
const bindingSrc = path.resolve(
  process.env.BENCH_BINDING_SRC ?? path.join(repoRoot, 'libs/editor-binding/src'),
);

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
  const remote = picked.slice(keystrokes);
  // Bold one character where the remote keystrokes were (the "\n" there, if any, is skipped:
  // formatting a line end is a line format, not the same change in the two models).
  const bold = [];
  for (let k = 0; bold.length < formats; k++) {
    let index = Math.min(remote[k % remote.length].position, text.length - 1);
    while (text[index] === '\n') index = (index + 1) % text.length;
    bold.push(index);
  }
  return { start, local: picked.slice(0, keystrokes), remote, bold, afterLocal, end: text };
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
  await build({
    root: here,
    logLevel: 'warn',
    configFile: false,
    resolve: {
      alias: {
        '@collab/editor-binding': path.join(bindingSrc, 'index.ts'),
        '@collab/ot': path.join(repoRoot, 'libs/ot/src/index.ts'),
      },
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
        .writeHead(200, {
          'content-type': types[path.extname(file)] ?? 'application/octet-stream',
          // Cross-origin isolation: performance.now() at 5 us instead of 100 us.
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
        })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const print = (line) => console.log(JSON.stringify({ bench: 'editor', ...line }));

/** The plain text of a document's Delta ops, and the Delta indexes of its bold characters. */
function readOps(ops) {
  let text = '';
  const bold = new Set();
  for (const op of ops) {
    const insert = typeof op.insert === 'string' ? op.insert : '\uFFFC';
    if (op.attributes?.bold) for (let k = 0; k < insert.length; k++) bold.add(text.length + k);
    text += insert;
  }
  return { text, bold };
}

const data = loadKeystrokes();
const outDir = await bundlePage();
const server = await serve(outDir);
const { chromium } = await importFrom('playwright-core');
const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-editor-profile-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: chromiumPath(),
  headless: true,
  viewport: { width: 1280, height: 860 },
  args: [...HEADLESS_CHROMIUM_ARGS],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
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
    formats,
    warmup,
    cross_origin_isolated: await page.evaluate(() => window.crossOriginIsolated),
    binding_src: path.relative(repoRoot, bindingSrc),
  });

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
  const afterLocal = readOps(await page.evaluate(() => window.bench.ops()));
  if (afterLocal.text !== `${data.afterLocal}\n`)
    throw new Error('after the local keystrokes the editor does not hold the trace text');
  const localStats = stats(local.slice(warmup));
  print({ path: 'local_edit_to_delta', ...localStats });

  // Remote: the same changes on the three paths, the caret of each in the middle of the document.
  await page.evaluate(
    (caret) => window.bench.addTiptapEditors(caret),
    Math.floor(data.afterLocal.length / 2),
  );
  const paths = await page.evaluate(() => window.bench.paths);
  const cdp = profilePath ? await context.newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  const textChanges = data.remote.map(({ position, insert }) =>
    insert ? { kind: 'insert', index: position, text: insert } : { kind: 'delete', index: position },
  );
  const formatChanges = data.bold.map((index) => ({ kind: 'format', index }));
  const measured = {
    text: await page.evaluate((c) => window.bench.remote(c), textChanges),
    format: await page.evaluate((c) => window.bench.remote(c), formatChanges),
  };

  // Every editor must end with the trace's text and exactly the bold characters asked for.
  const expectedBold = [...new Set(data.bold)].sort((a, b) => a - b).join(',');
  const documents = new Map();
  for (const name of paths) {
    const ops = await page.evaluate((p) => window.bench.ops(p), name);
    const { text, bold } = readOps(ops);
    if (text !== `${data.end}\n`) throw new Error(`${name}: the editor does not end with the trace text`);
    if ([...bold].sort((a, b) => a - b).join(',') !== expectedBold)
      throw new Error(`${name}: the editor does not end with the expected bold characters`);
    documents.set(name, JSON.stringify(ops));
  }
  if (new Set(documents.values()).size !== 1) throw new Error('the editors end with different documents');

  const summary = {};
  for (const change of ['text', 'format']) {
    summary[change] = {};
    for (const name of paths) {
      const apply = stats(measured[change][name].apply.slice(warmup));
      const frame = stats(measured[change][name].frame.slice(warmup));
      summary[change][name] = apply;
      print({ path: `remote_${change}`, editor: name, measure: 'apply', ...apply });
      print({ path: `remote_${change}`, editor: name, measure: 'frame', ...frame });
    }
  }
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
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 30);
    for (const [fn, ms] of top) console.error(`${ms.toFixed(1).padStart(9)} ms  ${fn}`);
  }

  const ratio = (a, b) => Math.round((a / b) * 100) / 100;
  const t = summary.text;
  const f = summary.format;
  print({
    headline: true,
    characters: data.start.length,
    local_edit_to_delta_p99_ms: localStats.p99_ms,
    remote_text_binding_p50_ms: t.binding.p50_ms,
    remote_text_binding_p99_ms: t.binding.p99_ms,
    remote_text_tiptap_commands_p99_ms: t.tiptap_commands.p99_ms,
    remote_text_tiptap_transaction_p99_ms: t.tiptap_transaction.p99_ms,
    remote_text_p99_ratio: ratio(t.binding.p99_ms, t.tiptap_commands.p99_ms),
    remote_text_p99_ratio_to_transaction: ratio(t.binding.p99_ms, t.tiptap_transaction.p99_ms),
    remote_format_binding_p99_ms: f.binding.p99_ms,
    remote_format_p99_ratio: ratio(f.binding.p99_ms, f.tiptap_commands.p99_ms),
    target_p99_ratio: 1.25,
    target_binding_p99_ms: 2,
  });
} finally {
  await context.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
  rmSync(userDataDir, { recursive: true, force: true });
}
