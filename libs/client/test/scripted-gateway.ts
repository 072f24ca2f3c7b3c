import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionClosed, WireError } from '@collab/contracts';
import { Server, type Socket } from 'socket.io';

/**
 * A real Socket.IO server that plays the gateway's part in the SDK's
 * connection specs: it records every handshake (its token and when it came),
 * refuses the next handshakes with the errors queued in `refusals`, one
 * each (as the abuse cool-down does), and keeps the connected sockets, which
 * a spec closes as the gateway would (`closeSession`). Against the real
 * gateway, see apps/gateway/test/session-close-sdk.int-spec.ts.
 */
export class ScriptedGateway {
  readonly handshakes: { token: string; at: number; previousSessionId?: unknown }[] = [];
  readonly refusals: WireError[] = [];
  /** The sockets connected now, oldest first. */
  sockets: Socket[] = [];

  private constructor(
    readonly url: string,
    private readonly io: Server,
  ) {
    io.use((socket, next) => {
      const auth = socket.handshake.auth as { token?: unknown; previousSessionId?: unknown };
      this.handshakes.push({
        token: String(auth.token),
        at: Date.now(),
        ...('previousSessionId' in auth ? { previousSessionId: auth.previousSessionId } : {}),
      });
      const refusal = this.refusals.shift();
      next(refusal ? Object.assign(new Error(refusal.message), { data: refusal }) : undefined);
    });
    io.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.on('disconnect', () => (this.sockets = this.sockets.filter((s) => s !== socket)));
    });
  }

  static async start(): Promise<ScriptedGateway> {
    const http = createServer();
    const io = new Server(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return new ScriptedGateway(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, io);
  }

  /** The tokens of the handshakes so far, in order. */
  get tokens(): string[] {
    return this.handshakes.map((h) => h.token);
  }

  /** Forgets the handshakes and the refusals not used (between tests). */
  reset(): void {
    this.handshakes.length = 0;
    this.refusals.length = 0;
  }

  close(): Promise<void> {
    return this.io.close();
  }
}

/** Closes `socket` as the gateway does: says why (`session:closed`), then disconnects it. */
export function closeSession(socket: Socket, reason: SessionClosed['reason']): void {
  socket.emit('session:closed', { reason, message: `closed by the test: ${reason}` });
  socket.disconnect(true);
}
