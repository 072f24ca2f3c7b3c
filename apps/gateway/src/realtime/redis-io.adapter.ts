import { MAX_MESSAGE_BYTES } from '@collab/contracts';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

/** What a handler may resolve to in Nest: a value, or an observable of values (duck-typed: no rxjs here). */
interface Subscribable {
  subscribe(observer: { next: (value: unknown) => void; error: (error: unknown) => void }): unknown;
}

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
    private readonly handshake: Partial<Pick<ServerOptions, 'cors' | 'pingInterval' | 'pingTimeout'>> & {
      /** Runs before every other middleware (those Nest's gateway adds in afterInit). */
      readonly first?: Parameters<Server['use']>[0];
    } = {},
  ) {
    super(app);
    settleDropped(sub, ['unsubscribe', 'punsubscribe']);
    settleDropped(pub, ['publish']);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const { first, cors, pingInterval, pingTimeout } = this.handshake;
    const server = super.createIOServer(port, {
      ...options,
      cors,
      ...(pingInterval === undefined ? {} : { pingInterval }),
      ...(pingTimeout === undefined ? {} : { pingTimeout }),
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

  /**
   * One plain listener per event and socket. Nest's own binding builds an
   * RxJS pipeline per event and socket (fromEvent, mergeMap, takeUntil a
   * shared `disconnect` observable): about 120 closures and 30 subscriber
   * objects per idle socket, a third of the gateway's heap per connection
   * (bench/idle), and a few more observables per message. The semantics are
   * Nest's: the handler's result (a value, a promise or an observable) is
   * emitted as `{event, data}` or given to the ack unless the handler answers
   * the ack itself; nil results send nothing. A socket's listeners go with it.
   */
  override bindMessageHandlers(
    socket: Parameters<IoAdapter['bindMessageHandlers']>[0],
    handlers: MessageMappingProperties[],
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(String(message), (...args: unknown[]) => {
        const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args);
        const respond = (response: unknown): void => {
          if (response === null || response === undefined) return;
          const reply = response as { event?: string; data?: unknown };
          if (reply.event) socket.emit(reply.event, reply.data);
          else if (!isAckHandledManually && typeof ack === 'function')
            (ack as (r: unknown) => void)(response);
        };
        // Nest's handler context catches what a handler throws (WsExceptionsHandler); this only keeps a
        // rejection that escapes it from becoming an unhandled one.
        Promise.resolve(callback(data, ack)).then(
          (result: unknown) => {
            if (isSubscribable(result)) result.subscribe({ next: respond, error: () => undefined });
            else respond(result);
          },
          () => undefined,
        );
      });
    }
  }

  /** Called by Nest when the app closes: the adapter's connections go with it. */
  override async dispose(): Promise<void> {
    await super.dispose();
    this.pub.disconnect();
    this.sub.disconnect();
  }
}

/**
 * The redis adapter drops the promises of some commands: close()'s
 * unsubscribes, and the publish of every broadcast to a room (and of its
 * requests and answers between gateways). With Redis away those commands
 * wait in the offline queue and are then rejected (MaxRetriesPerRequestError
 * after the retries, or "Connection is closed." when the gateway shuts
 * down): unhandled rejections, which end a Node process. A broadcast lost
 * while Redis is away is the adapter's contract (at most once); clients
 * see the gap in versions and catch up from the log. So on these
 * connections those commands are settled here; the promise returned is the
 * command's own, for any caller that does await it.
 */
function settleDropped(redis: Redis, names: readonly ('publish' | 'unsubscribe' | 'punsubscribe')[]): void {
  for (const name of names) {
    const command = redis[name].bind(redis) as (...args: unknown[]) => Promise<unknown>;
    (redis as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const pending = command(...args);
      pending.catch(() => undefined);
      return pending;
    };
  }
}

function isSubscribable(value: unknown): value is Subscribable {
  return typeof (value as Subscribable | null)?.subscribe === 'function';
}
