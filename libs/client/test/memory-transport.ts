import type { ClientToServerEvents, ServerToClientEvents } from '@collab/contracts';
import { TypedEmitter } from '../src/typed-emitter';
import type { RequestPayload, RequestResult, Transport, TransportEvents } from '../src/transport/transport';

/** Answers one request as a gateway would; resolves with the answer (TIMEOUT to lose it). */
export type MemoryHandler = (
  event: keyof ClientToServerEvents,
  payload: unknown,
) => Promise<unknown> | unknown;

/**
 * A Transport in memory: requests go to `handler`, server events are pushed
 * with `push`, and the connection comes and goes at the test's word. Runs
 * the SDK's logic with no socket, no timers of Socket.IO, and exact control
 * over what arrives when.
 */
export class MemoryTransport extends TypedEmitter<TransportEvents> implements Transport {
  connected = false;
  connectionId: string | undefined;
  private connections = 0;
  private readonly serverListeners = new Map<string, ((payload: never) => void)[]>();

  constructor(public handler: MemoryHandler) {
    super();
  }

  connect(): void {
    if (this.connected) return;
    this.connected = true;
    this.connectionId = `m${++this.connections}`;
    queueMicrotask(() => this.emit('connect'));
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    this.connectionId = undefined;
    this.emit('disconnect', 'client');
  }

  async request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: RequestPayload<E>,
  ): Promise<RequestResult<E>> {
    const connection = this.connectionId;
    const answer = (await this.handler(event, payload)) as { ok: boolean } & Record<string, unknown>;
    // An answer does not outlive its connection: it is lost, and the SDK sees a timeout.
    if (this.connectionId !== connection || !answer)
      return { ok: false, error: { code: 'TIMEOUT', message: 'no answer from the server' } };
    if (!answer.ok) return answer as never;
    const { ok: _ok, ...value } = answer;
    return { ok: true, value: value as never };
  }

  onServer<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): void {
    const list = this.serverListeners.get(event) ?? [];
    list.push(listener as (payload: never) => void);
    this.serverListeners.set(event, list);
  }

  /** Delivers a server event to the SDK. */
  push<E extends keyof ServerToClientEvents>(
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ): void {
    for (const listener of this.serverListeners.get(event) ?? []) listener(payload as never);
  }
}
