import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelBatcher, frameText } from '@collab/cluster';
import { ErrorCode, MAX_SERVICE_MESSAGE_BYTES } from '@collab/contracts';
import type { Logger } from 'pino';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { InboxService } from './inbox.service';

export interface OwnerLinkServerOptions {
  /** Port to listen on, on every interface; 0 picks a free one. */
  readonly port: number;
  /** The host gateways reach this instance at (published in its membership record). */
  readonly advertisedHost: string;
}

/** What the membership record publishes about the link (MembershipRecord's `link`). */
export interface OwnerLinkAddress {
  readonly url: string;
  readonly token: string;
}

/**
 * The owner link's server side: gateways hold one WebSocket to each
 * doc-service and send it their requests for its documents, and the replies
 * come back on the same connection. A request then costs no Redis hop on
 * either way (the inbox's path is gateway -> Redis -> owner -> Redis ->
 * gateway); what is committed and broadcast is unchanged.
 *
 * Who may connect: a gateway presenting this run's token, which the instance
 * draws at start and publishes only in its membership record in Redis. The
 * link is therefore exactly as trusted as the Redis inbox it stands in for:
 * whoever can read Redis can already send to the inbox. Any other client is
 * refused at the upgrade (401), before it can send anything.
 *
 * Frames carry what the inbox carries (one request, or a gateway's batch of
 * them in one turn), read by the same parser; replies are gathered per
 * connection and turn the same way.
 */
export class OwnerLinkServer {
  private server: WebSocketServer | undefined;
  private readonly token = randomBytes(32).toString('base64url');
  private address: OwnerLinkAddress | undefined;

  constructor(
    private readonly inbox: InboxService,
    private readonly options: OwnerLinkServerOptions,
    private readonly log: Logger,
  ) {}

  /** Where gateways reach this instance; undefined until started. */
  get published(): OwnerLinkAddress | undefined {
    return this.address;
  }

  async start(): Promise<void> {
    const server = new WebSocketServer({
      port: this.options.port,
      perMessageDeflate: false,
      maxPayload: MAX_SERVICE_MESSAGE_BYTES,
      verifyClient: (info: { req: IncomingMessage }, done) => {
        if (this.presentsToken(info.req)) done(true);
        else done(false, 401, `${ErrorCode.UNAUTHENTICATED}: an owner link needs this instance's token`);
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    server.on('error', (error) => this.log.error({ err: error }, 'owner link server error'));
    server.on('connection', (socket) => this.serve(socket));
    const { port } = server.address() as AddressInfo;
    this.address = { url: `ws://${hostForUrl(this.options.advertisedHost)}:${port}`, token: this.token };
    this.log.info({ url: this.address.url }, 'owner link listening');
  }

  /** Closes every link; call once the inbox has answered what it held. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const client of server.clients) client.close(1001, 'doc-service stopping');
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private serve(socket: WebSocket): void {
    const replies = new ChannelBatcher(
      (_channel, text) =>
        new Promise<number>((resolve, reject) =>
          socket.send(text, (error) => (error ? reject(error) : resolve(1))),
        ),
    );
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        this.log.warn('dropped a binary frame on an owner link');
        return;
      }
      void this.inbox.receive(frameText(data), (reply) => replies.send('link', reply));
    });
    socket.on('error', (error) => this.log.warn({ err: error }, 'owner link error'));
  }

  private presentsToken(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const presented = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const expected = Buffer.from(this.token);
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  }
}

/** An IPv6 literal goes in brackets in a URL. */
function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
