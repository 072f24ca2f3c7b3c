// The ShareDB 7 baseline's server, one process: the rich-text type,
// sharedb-postgres on the benchmark's private database and schema,
// sharedb-redis-pubsub under the benchmark's private channel prefix, and the
// `ws` transport. Stock ShareDB on purpose (no middleware): under overload its
// optimistic commits retry, which is its real behaviour and part of what is
// compared. Started by bench/peers/sharedb-system.mjs with `fork`; it sends
// { ready: true } once it listens, and closes on SIGTERM.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ShareDB = require('sharedb');
const richText = require('rich-text');
const PostgresDB = require('sharedb-postgres');
const RedisPubSub = require('sharedb-redis-pubsub');
const WebSocketJSONStream = require('@teamwork/websocket-json-stream');
const { WebSocketServer } = require('ws');

const {
  SHAREDB_PG_URL,
  SHAREDB_PG_SCHEMA,
  SHAREDB_PG_POOL,
  SHAREDB_REDIS_URL,
  SHAREDB_PREFIX,
  SHAREDB_PORT,
} = process.env;

ShareDB.types.register(richText.type);
const db = new PostgresDB({
  connectionString: SHAREDB_PG_URL,
  // The tables live in the run's own schema (created by the benchmark).
  options: `-c search_path=${SHAREDB_PG_SCHEMA}`,
  max: Number(SHAREDB_PG_POOL),
});
const pubsub = new RedisPubSub({ url: SHAREDB_REDIS_URL, prefix: SHAREDB_PREFIX });
const backend = new ShareDB({ db, pubsub });

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(SHAREDB_PORT) });
wss.on('connection', (ws) => backend.listen(new WebSocketJSONStream(ws)));
wss.on('listening', () => process.send?.({ ready: true }));
wss.on('error', (error) => {
  console.error(`sharedb server: ${error.message}`);
  process.exit(1);
});

process.once('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  wss.close(() => backend.close(() => process.exit(0)));
});
