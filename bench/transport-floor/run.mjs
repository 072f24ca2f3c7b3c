// The transport's floor on this machine: what Socket.IO alone costs for the
// frames one operation of ours makes (one op frame in, its ack out, a relay
// to the three other editors of the document), between a bare relay server
// (relay-server.mjs) and as many socket.io-client connections as bench/e2e
// opens. The e2e stack can only be slower than this; the figures say how
// much of the machine the frames alone take at a given rate.
//
//   node bench/transport-floor/run.mjs
//
// Environment: BENCH_SECONDS (per phase, 15), BENCH_DOCS (1000),
// BENCH_EDITORS (4), BENCH_RATES (paced phases, ops/s: 2000,5000,10000),
// BENCH_PORT (3990).
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { startCpuAccount } from '../lib/cpu-account.mjs';
import { typeEach } from '../lib/paced.mjs';
import { percentiles } from '../e2e/editors.mjs';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const documents = Number(process.env.BENCH_DOCS ?? 1000);
const editorsPerDoc = Number(process.env.BENCH_EDITORS ?? 4);
const rates = (process.env.BENCH_RATES ?? '2000,5000,10000').split(',').map(Number);
const port = Number(process.env.BENCH_PORT ?? 3990);
const emit = (figure) => console.log(JSON.stringify(figure));

async function connectAll() {
  const sockets = [];
  for (let d = 0; d < documents; d++) {
    const docId = `doc-${d}`;
    const batch = [];
    for (let e = 0; e < editorsPerDoc; e++) {
      const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
      socket.on('ops', () => undefined);
      batch.push(socket.emitWithAck('join', docId).then(() => ({ socket, docId })));
    }
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

/** Every editor sends one op, awaits its ack, then the next; paced at `rate` ops/s in all, or closed loop. */
async function typeFor(editors, rate) {
  const latencies = [];
  const seqs = new Map();
  await typeEach(
    editors,
    { seconds, ratePerEditor: rate ? rate / editors.length : null },
    async ({ socket, docId }) => {
      const started = performance.now();
      const seq = (seqs.get(socket) ?? 0) + 1;
      seqs.set(socket, seq);
      await socket.emitWithAck('op', {
        docId,
        baseVersion: 0,
        op: [{ retain: 3 }, { insert: 'a' }],
        clientId: socket.id,
        seq,
      });
      latencies.push(performance.now() - started);
    },
  );
  return latencies;
}

async function main() {
  const server = fork(new URL('./relay-server.mjs', import.meta.url), [], {
    env: { ...process.env, FLOOR_PORT: String(port) },
  });
  await new Promise((resolve, reject) => {
    server.once('message', resolve);
    server.once('exit', (code) => reject(new Error(`relay server exited (${code})`)));
  });
  const editors = await connectAll();
  const headline = { headline: 'transport-floor', editors: editors.length };
  try {
    for (const rate of [null, ...rates]) {
      const cpu = startCpuAccount({ server: server.pid });
      const started = performance.now();
      const latencies = await typeFor(editors, rate);
      const elapsed = (performance.now() - started) / 1000;
      const used = cpu();
      const opsPerSecond = Math.round(latencies.length / elapsed);
      const cpuMsPerOp = used
        ? Math.round(((used.server + used.bench) / latencies.length) * 1e6) / 1e3
        : null;
      emit({
        phase: rate ? 'paced' : 'closed-loop',
        target_ops_s: rate,
        ops_s: opsPerSecond,
        ...percentiles(latencies),
        cpu_s: used && { server: used.server, bench: used.bench },
        cpu_ms_per_op: cpuMsPerOp,
      });
      headline[rate ? `p99_ms_at_${rate}` : 'max_ops_s'] = rate
        ? percentiles(latencies).p99_ms
        : opsPerSecond;
      if (!rate) headline.cpu_ms_per_op = cpuMsPerOp;
    }
  } finally {
    for (const { socket } of editors) socket.close();
    server.kill('SIGTERM');
  }
  emit(headline);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
