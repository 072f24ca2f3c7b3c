import { AppError, ErrorCode, type LoadResult } from '@collab/contracts';
import type { OpLimits } from '@collab/ot';
import type { ActorPorts } from './actor-ports';
import type { RestoreSubmission } from './actor-restore';
import type { Submission } from './actor-work';
import { DocumentActor } from './document.actor';
import type { DocumentStore } from './document-store';

export interface RegistryOptions {
  readonly historyWindow: number;
  readonly idleMs: number;
  readonly limits?: Partial<OpLimits>;
}

export interface RegistryPorts extends Omit<ActorPorts, 'died'> {
  readonly store: DocumentStore;
  /** Whether this instance owns the document now (ring position and a live membership). */
  owns(docId: string): boolean;
  /** Told how long loading an actor took and how much of the log it read. */
  loaded?(docId: string, ms: number, tailLength: number): void;
}

/**
 * The open documents of this instance: one actor each, created on demand from
 * the newest snapshot plus later operations, closed when the document moves to
 * another owner, and evicted when idle.
 */
export class DocumentActorRegistry {
  private readonly actors = new Map<string, DocumentActor>();
  private readonly loading = new Map<string, Promise<DocumentActor>>();
  private accepting = true;

  constructor(
    private readonly ports: RegistryPorts,
    private readonly options: RegistryOptions,
  ) {}

  get size(): number {
    return this.actors.size;
  }

  async submit(docId: string, submission: Submission): Promise<number> {
    return (await this.actorFor(docId)).submit(submission);
  }

  async restore(docId: string, restore: RestoreSubmission): Promise<number> {
    return (await this.actorFor(docId)).restore(restore);
  }

  async load(docId: string): Promise<LoadResult> {
    return (await this.actorFor(docId)).load();
  }

  /**
   * Re-checks ownership after the ring changed: actors of documents that moved
   * finish their write in flight and refuse the rest with NOT_OWNER (the
   * gateways re-route those to the new owner, which loads from PostgreSQL).
   */
  async rebalance(): Promise<number> {
    const moving = [...this.actors.values()].filter((actor) => !this.ports.owns(actor.docId));
    await Promise.all(moving.map((actor) => this.closeActor(actor, notOwner(actor.docId))));
    return moving.length;
  }

  /**
   * Drops every actor at once, without waiting: this instance lost its
   * membership (a pause, a partition) and someone else may already be writing
   * its documents. Writes in flight can only fail on the fence or succeed
   * before the other owner started; either way nothing forks.
   */
  dropAll(): void {
    for (const actor of [...this.actors.values()]) void this.closeActor(actor, notOwner(actor.docId));
  }

  /** Evicts actors idle for longer than the configured time. */
  async evictIdle(now = performance.now()): Promise<number> {
    const idle = [...this.actors.values()].filter((actor) => actor.idleForMs(now) >= this.options.idleMs);
    await Promise.all(idle.map((actor) => this.closeActor(actor, notOwner(actor.docId))));
    return idle.length;
  }

  /** Graceful shutdown: refuse new work, flush every group commit in flight. */
  async shutdown(): Promise<void> {
    this.accepting = false;
    await Promise.all(
      [...this.actors.values()].map((actor) => this.closeActor(actor, notOwner(actor.docId))),
    );
  }

  private async closeActor(actor: DocumentActor, reason: AppError): Promise<void> {
    if (this.actors.get(actor.docId) === actor) this.actors.delete(actor.docId);
    await actor.close(reason);
  }

  private async actorFor(docId: string): Promise<DocumentActor> {
    if (!this.accepting || !this.ports.owns(docId)) throw notOwner(docId);
    const existing = this.actors.get(docId);
    if (existing && !existing.isDead) return existing;
    let loading = this.loading.get(docId);
    if (!loading) {
      loading = this.create(docId).finally(() => this.loading.delete(docId));
      this.loading.set(docId, loading);
    }
    return loading;
  }

  private async create(docId: string): Promise<DocumentActor> {
    const started = performance.now();
    const loaded = await this.ports.store.load(docId, this.options.historyWindow).catch((error: unknown) => {
      throw new AppError(ErrorCode.UNAVAILABLE, 'the document could not be loaded; retry', { cause: error });
    });
    if (!loaded) throw new AppError(ErrorCode.NOT_FOUND, `document ${docId} does not exist`);
    // Ownership may have moved while we read.
    if (!this.accepting || !this.ports.owns(docId)) throw notOwner(docId);
    const actor = new DocumentActor(
      docId,
      loaded.doc,
      loaded.version,
      loaded.recent,
      {
        store: this.ports.store,
        publish: (commit) => this.ports.publish(commit),
        committed: (id, from, to, correlationId) => this.ports.committed(id, from, to, correlationId),
        fenced: (id, version) => this.ports.fenced?.(id, version),
        died: (id, dying) => {
          if (this.actors.get(id) === dying) this.actors.delete(id);
        },
      },
      { historyWindow: this.options.historyWindow, limits: this.options.limits },
    );
    this.actors.set(docId, actor);
    this.ports.loaded?.(docId, performance.now() - started, loaded.tailLength);
    return actor;
  }
}

function notOwner(docId: string): AppError {
  return new AppError(ErrorCode.NOT_OWNER, `this instance does not own document ${docId}`);
}
