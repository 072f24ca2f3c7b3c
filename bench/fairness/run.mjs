// How fair and how prompt the gateway's enforcement is, in figures. The
// integration tests check that it happens (socket-limits: a flooder is slowed,
// cut off and kept out while another user's operations all succeed;
// access-revocation and accounts: a role change, a removal and a sign-out reach
// the sockets); how fast is measured here, on the local stack as `npm start`
// runs it, on a private database and Redis prefix. Never fails on a figure.
//
//   npm run bench:fairness          (builds the apps first)
//   node bench/fairness/run.mjs     (uses the built apps)
//
// Figures, one JSON line each, the headline last:
// - `access`: milliseconds from the REST call to the socket hearing of it, for
//   a role change (access:changed), a removal (access:revoked) and a sign-out
//   (the session's socket closed); each BENCH_ACCESS_ROUNDS times.
// - `victim`: a user typing one operation at a time (about 15 a second, as the
//   SDK does), p99 ack latency unloaded and while another user floods the
//   gateway (apps/gateway/test/fixtures/flood-client.cjs, its own process),
//   BENCH_ROUNDS rounds, each with a fresh baseline and a fresh abuser.
// - headline: the victim's worst loaded/unloaded p99 ratio over the rounds.
//
// Environment: BENCH_ROUNDS (3), BENCH_VICTIM_OPS (50 unloaded samples per
// round), BENCH_FLOOD_MS (3000), BENCH_ACCESS_ROUNDS (5), BENCH_PORT (3970),
// DATABASE_URL / REDIS_URL (servers; default local).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { seed } from '../e2e/seed.mjs';
import { startBenchStack } from '../lib/bench-stack.mjs';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');
const { PROTOCOL_VERSION } = require('../../libs/contracts/dist/index.js');

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const victimOps = Number(process.env.BENCH_VICTIM_OPS ?? 50);
const floodMs = Number(process.env.BENCH_FLOOD_MS ?? 3000);
const accessRounds = Number(process.env.BENCH_ACCESS_ROUNDS ?? 5);
const port = Number(process.env.BENCH_PORT ?? 3970);
const FLOOD_CLIENT = path.resolve(import.meta.dirname, '../../apps/gateway/test/fixtures/flood-client.cjs');

const emit = (figure) => console.log(JSON.stringify({ bench: 'fairness', ...figure }));
const progress = (line) => process.stderr.write(`[fairness] ${line}\n`);
const round = (ms) => Math.round(ms * 10) / 10;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function p(samples, q) {
  const sorted = [...samples].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)] ?? NaN);
}

async function connect(url, token) {
  const socket = io(url, {
    auth: { token, protocolVersion: PROTOCOL_VERSION },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

const request = (socket, event, payload) => socket.timeout(15_000).emitWithAck(event, payload);

async function joined(url, token, docId) {
  const socket = await connect(url, token);
  const ack = await request(socket, 'join', { docId });
  if (!ack.ok) throw new Error(`join refused: ${ack.error.code}`);
  return socket;
}

async function api(url, method, route, { token, body } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url}/api${route}`, { method, headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Milliseconds from `act()` to `event` on `socket`. */
async function timeTo(socket, event, act) {
  const heard = new Promise((resolve) => socket.once(event, () => resolve(performance.now())));
  const started = performance.now();
  await act();
  return (await heard) - started;
}

async function accessFigures(url, databaseUrl, jwtSecret) {
  const changed = [];
  const revoked = [];
  const signedOut = [];
  for (let r = 0; r < accessRounds; r++) {
    const [doc] = await seed(databaseUrl, jwtSecret, { documents: 1, editorsPerDoc: 2, users: 2 });
    const [owner, member] = doc.editors;
    const memberSocket = await joined(url, member.token, doc.docId);
    const route = `/documents/${doc.docId}/members/${member.userId}`;
    changed.push(
      await timeTo(memberSocket, 'access:changed', () =>
        api(url, 'PATCH', route, { token: owner.token, body: { role: 'viewer' } }),
      ),
    );
    revoked.push(
      await timeTo(memberSocket, 'access:revoked', () => api(url, 'DELETE', route, { token: owner.token })),
    );
    memberSocket.close();

    const email = `fairness-${Date.now().toString(36)}-${r}@example.test`;
    const pair = await api(url, 'POST', '/auth/sign-up', {
      body: { email, password: 'correct horse battery staple', name: 'Bench' },
    });
    const session = await connect(url, pair.accessToken);
    signedOut.push(
      await timeTo(session, 'disconnect', () =>
        api(url, 'POST', '/auth/sign-out', { body: { refreshToken: pair.refreshToken } }),
      ),
    );
  }
  for (const [kind, samples] of [
    ['role_changed', changed],
    ['member_removed', revoked],
    ['signed_out', signedOut],
  ]) {
    emit({ phase: 'access', kind, rounds: samples.length, p50_ms: p(samples, 0.5), max_ms: p(samples, 1) });
  }
}

function flood(url, token, docId) {
  const child = spawn(
    process.execPath,
    [FLOOD_CLIENT, url, token, String(PROTOCOL_VERSION), docId, '10', String(floodMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`flood client exited with ${code}`)),
    );
  });
}

async function victimFigures(url, databaseUrl, jwtSecret) {
  const [victimDoc] = await seed(databaseUrl, jwtSecret, { documents: 1, editorsPerDoc: 1, users: 1 });
  const socket = await joined(url, victimDoc.editors[0].token, victimDoc.docId);
  let version = 0;
  let seq = 0;
  // One operation in flight at a time, like the SDK; about 15 a second stays under the limit.
  const measure = async (count, until = () => false) => {
    const samples = [];
    for (let i = 0; i < count && !until(); i++) {
      const started = performance.now();
      const ack = await request(socket, 'op', {
        docId: victimDoc.docId,
        clientId: 'victim',
        seq: ++seq,
        baseVersion: version,
        delta: version === 0 ? [{ insert: 'v' }] : [{ retain: version }, { insert: 'v' }],
      });
      if (!ack.ok) throw new Error(`the victim was refused: ${ack.error.code}`);
      samples.push(performance.now() - started);
      version = ack.version;
      await sleep(60);
    }
    return samples;
  };
  await measure(10); // warm-up: connections, JIT, the victim's actor
  const ratios = [];
  for (let r = 0; r < rounds; r++) {
    const [abuser] = await seed(databaseUrl, jwtSecret, { documents: 1, editorsPerDoc: 1, users: 1 });
    (await joined(url, abuser.editors[0].token, abuser.docId)).close(); // its actor is warm
    const unloaded = p(await measure(victimOps), 0.99);
    let flooding = true;
    const summary = flood(url, abuser.editors[0].token, abuser.docId).finally(() => (flooding = false));
    const [loaded, abuse] = await Promise.all([measure(10_000, () => !flooding), summary]);
    const ratio = round(p(loaded, 0.99) / unloaded);
    ratios.push(ratio);
    emit({
      phase: 'victim',
      round: r + 1,
      unloaded_p99_ms: unloaded,
      loaded_p99_ms: p(loaded, 0.99),
      loaded_samples: loaded.length,
      ratio,
      abuser_accepted: abuse.accepted,
      abuser_rate_limited: abuse.rateLimited,
      abuser_closed: abuse.closed?.reason ?? null,
    });
  }
  socket.close();
  return ratios;
}

const { env, stop } = await startBenchStack({
  port,
  docServices: 1,
  workers: 0,
  // The limits the socket-limits test uses: the flooder meets them within the window.
  overrides: { OPS_PER_SECOND_PER_SOCKET: '20', OPS_PER_SECOND_PER_USER: '40', ABUSE_STRIKES: '50' },
});
const url = `http://127.0.0.1:${port}`;
try {
  progress('access changes');
  await accessFigures(url, env.DATABASE_URL, env.JWT_SECRET);
  progress(`victim under flood, ${rounds} rounds`);
  const ratios = await victimFigures(url, env.DATABASE_URL, env.JWT_SECRET);
  emit({ headline: 'victim_p99_loaded_over_unloaded', worst_ratio: Math.max(...ratios), ratios });
} finally {
  await stop();
}
