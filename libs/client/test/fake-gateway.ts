import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';

type Reply = { ok: boolean; [key: string]: unknown } & { delayMs?: number };

/** How the fake gateway answers one request; null leaves it unanswered. */
type Answer<B> = (body: B, socket: Socket) => Reply | null;

export interface FakeGatewayAnswers {
  join: Answer<{ docId: string }>;
  op: Answer<{ seq: number; baseVersion: number; delta: unknown }>;
  catchup: Answer<{ fromVersion: number; limit: number }>;
}

/**
 * A real Socket.IO server standing in for a gateway that answers the way a
 * test says: the SDK's paths for answers no correct gateway gives on
 * purpose, or gives only in a failover (a forgotten join, a refused page),
 * are shown with it. `answers` may be replaced between tests.
 */
export class FakeGateway {
  readonly received: { event: string; body: unknown }[] = [];
  /** Set to refuse every handshake with this error (as the gateway's middlewares do). */
  refuseHandshake: { code: string; message: string } | undefined;

  private constructor(
    private readonly io: Server,
    readonly url: string,
    public answers: FakeGatewayAnswers,
  ) {}

  static async start(answers: FakeGatewayAnswers): Promise<FakeGateway> {
    const http = createServer();
    const io = new Server(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const gateway = new FakeGateway(io, `http://127.0.0.1:${(http.address() as AddressInfo).port}`, answers);
    io.use((_socket, next) => {
      const refusal = gateway.refuseHandshake;
      next(refusal ? Object.assign(new Error(refusal.message), { data: refusal }) : undefined);
    });
    io.on('connection', (socket) => {
      for (const event of ['join', 'op', 'catchup'] as const) {
        socket.on(event, (body: unknown, ack: (reply: object) => void) => {
          gateway.received.push({ event, body });
          const reply = (gateway.answers[event] as Answer<unknown>)(body, socket);
          if (!reply) return;
          const { delayMs, ...rest } = reply;
          setTimeout(() => ack(rest), delayMs);
        });
      }
    });
    return gateway;
  }

  /** The bodies of the requests of one kind received so far. */
  bodies<B>(event: keyof FakeGatewayAnswers): B[] {
    return this.received.filter((r) => r.event === event).map((r) => r.body as B);
  }

  async close(): Promise<void> {
    await this.io.close();
  }
}
