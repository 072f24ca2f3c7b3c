import { MAX_MESSAGE_BYTES } from '@collab/contracts';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

/**
 * Socket.IO over the redis adapter, so a room spans every gateway: the
 * doc-services' emitter publishes committed operations under the same `key`
 * and they reach the sockets in `docRoom(docId)` with no gateway code.
 */
export class RedisIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly key: string,
    private readonly handshake: Pick<ServerOptions, 'cors'> & {
      /** Runs before every other middleware (those Nest's gateway adds in afterInit). */
      readonly first?: Parameters<Server['use']>[0];
    } = {},
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const { first, cors } = this.handshake;
    const server = super.createIOServer(port, {
      ...options,
      cors,
      // Messages up to twice the limit are read, so that one over the limit
      // gets a coded MESSAGE_TOO_LARGE (CollabGateway); a larger packet closes
      // the connection before it is parsed.
      maxHttpBufferSize: 2 * MAX_MESSAGE_BYTES,
      transports: ['websocket', 'polling'],
    }) as Server;
    server.adapter(createAdapter(this.pub, this.sub, { key: this.key }));
    if (first) server.use(first);
    return server;
  }

  /** Called by Nest when the app closes: the adapter's connections go with it. */
  override async dispose(): Promise<void> {
    await super.dispose();
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
