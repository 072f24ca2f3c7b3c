import { ChannelBatcher, frameText } from '@collab/cluster';
import { MAX_SERVICE_MESSAGE_BYTES } from '@collab/contracts';
import { type RawData, WebSocket } from 'ws';

/** Where a doc-service takes owner links (its MembershipRecord's `link`). */
export interface OwnerLinkAddress {
  readonly url: string;
  readonly token: string;
}

export interface OwnerLinkEvents {
  /** A frame of replies (one, or a batch), to parse as the Redis reply channel's. */
  readonly reply: (text: string) => void;
  /** The link is gone (or never opened); `opened` tells which. Requests sent on it will not be answered. */
  readonly closed: (link: OwnerLink, opened: boolean, reason: string) => void;
}

/**
 * One gateway's WebSocket to one doc-service (the server side is the
 * doc-service's owner-link.server.ts): requests for the documents it owns
 * go out on it, gathered per turn like the inbox's publishes, and their
 * replies come back on it. Nothing is queued while it connects: the router
 * uses the Redis inbox until `open`.
 */
export class OwnerLink {
  private readonly socket: WebSocket;
  private readonly requests: ChannelBatcher;
  private opened = false;
  private ended = false;

  constructor(
    readonly owner: string,
    readonly address: OwnerLinkAddress,
    connectTimeoutMs: number,
    private readonly events: OwnerLinkEvents,
  ) {
    this.socket = new WebSocket(address.url, {
      headers: { authorization: `Bearer ${address.token}` },
      handshakeTimeout: connectTimeoutMs,
      perMessageDeflate: false,
      maxPayload: MAX_SERVICE_MESSAGE_BYTES,
    });
    this.requests = new ChannelBatcher((_channel, text) => this.write(text));
    this.socket.on('open', () => (this.opened = true));
    this.socket.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) this.events.reply(frameText(data));
    });
    // 'unexpected-response': the upgrade was refused (a stale token: the
    // instance restarted under the same id); 'error' precedes 'close'.
    this.socket.on('unexpected-response', (_request, response) =>
      this.end(`upgrade refused (${response.statusCode ?? 'no status'})`),
    );
    this.socket.on('error', (error) => this.end(error.message));
    this.socket.on('close', (code, reason) => this.end(`closed (${code} ${reason.toString()})`));
  }

  /** True while requests can go out on it. */
  get isOpen(): boolean {
    return this.opened && !this.ended && this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends one request (batched with the others of this turn); rejects if the link cannot carry it. */
  send(message: object): Promise<number> {
    return this.requests.send('link', message);
  }

  close(): void {
    this.end('closed by the gateway');
  }

  private write(text: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (!this.isOpen) return reject(new Error(`owner link to ${this.owner} is not open`));
      this.socket.send(text, (error) => (error ? reject(error) : resolve(1)));
    });
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    // terminate(): no closing handshake to wait for; what is in flight is answered UNAVAILABLE.
    this.socket.terminate();
    this.events.closed(this, this.opened, reason);
  }
}
