import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy standing in for a load balancer in front of the gateways:
 * clients keep one URL, and `switchTo` sends every new connection to another
 * gateway and cuts the open ones, as a balancer does when a gateway goes
 * away. The reconnect then lands on a gateway that has never seen the client.
 */
export class SwitchingProxy {
  private readonly open = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private target: URL,
  ) {}

  static async start(target: string): Promise<SwitchingProxy> {
    const server = createServer();
    const proxy = new SwitchingProxy(server, new URL(target));
    server.on('connection', (client) => proxy.pipe(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** New connections go to `target`; the open ones are cut. */
  switchTo(target: string): void {
    this.target = new URL(target);
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pipe(client: Socket): void {
    const upstream = connect(Number(this.target.port), this.target.hostname);
    for (const socket of [client, upstream]) {
      this.open.add(socket);
      socket.on('error', () => undefined); // a cut connection is the point, not a failure
      socket.on('close', () => {
        this.open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
