// The least a Socket.IO server can do per operation of our protocol, and
// nothing else: take an `op` frame, answer its ack, relay it to the other
// members of the document's room. No authentication, validation, routing,
// Redis, OT or PostgreSQL. Started by run.mjs as a child process.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Server } = require('socket.io');

const port = Number(process.env.FLOOR_PORT);
const http = createServer();
const io = new Server(http, { serveClient: false });
let version = 0;
io.on('connection', (socket) => {
  socket.on('join', (docId, ack) => {
    socket.join(docId);
    ack({ ok: true });
  });
  socket.on('op', (body, ack) => {
    version += 1;
    socket.to(body.docId).emit('ops', {
      docId: body.docId,
      ops: [{ version, op: body.op, clientId: body.clientId, seq: body.seq }],
    });
    ack({ ok: true, version });
  });
});
http.listen(port, '127.0.0.1', () => process.send?.('listening'));
process.on('SIGTERM', () => process.exit(0));
