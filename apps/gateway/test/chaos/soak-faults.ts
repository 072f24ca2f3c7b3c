import type { GatewayHarness, GatewayProcess } from '../harness';
import type { Typist } from './chaos-kit';

/**
 * The soak test's fault injector. Each step draws one fault from a seeded
 * PRNG among those allowed in the current state, so a seed replays the same
 * sequence of decisions (the timing of the processes around them still
 * varies from run to run). Bounds keep the system able to make progress:
 * between `minDocServices` and `maxDocServices` doc-services, and at most one
 * gateway down at a time (its clients reconnect to the same port once it is
 * back; the other gateway keeps serving its own clients meanwhile).
 */

/** A gateway's place: clients keep its URL, so a restart reuses the port. */
export interface GatewaySlot {
  readonly port: number;
  proc: GatewayProcess | undefined;
}

export interface FaultBounds {
  readonly minDocServices: number;
  readonly maxDocServices: number;
}

interface Fault {
  readonly name: string;
  readonly weight: number;
  run(): Promise<string>;
}

/** A process that does not exit this long after SIGTERM is hung: that is a finding, not a slow machine. */
const EXIT_DEADLINE_MS = 20_000;

export class SoakFaults {
  /** What happened, in order, with the time since the start: printed with the seed. */
  readonly log: string[] = [];
  private readonly dropped = new Set<Typist>();
  private readonly startedAt = Date.now();

  constructor(
    private readonly h: GatewayHarness,
    private readonly random: () => number,
    private readonly slots: GatewaySlot[],
    private readonly typists: Typist[],
    private readonly bounds: FaultBounds,
  ) {}

  /** Injects one fault drawn from those allowed now. */
  async step(): Promise<void> {
    const faults = this.allowed();
    let pick = this.random() * faults.reduce((sum, f) => sum + f.weight, 0);
    const fault = faults.find((f) => (pick -= f.weight) < 0) ?? faults[faults.length - 1];
    const what = await fault.run();
    this.log.push(`+${((Date.now() - this.startedAt) / 1000).toFixed(1)}s ${fault.name} ${what}`);
  }

  /** Brings every gateway, every doc-service (up to the maximum) and every client back. */
  async restoreAll(): Promise<void> {
    for (const slot of this.slots) if (!slot.proc) await this.restartGateway(slot);
    while (this.h.docServices.length < this.bounds.maxDocServices) await this.h.startDocService();
    for (const t of this.dropped) t.doc.reconnect();
    this.dropped.clear();
    this.log.push(`+${((Date.now() - this.startedAt) / 1000).toFixed(1)}s restored everything`);
  }

  private allowed(): Fault[] {
    const { h, bounds } = this;
    const faults: Fault[] = [];
    const docServices = h.docServices.length;
    if (docServices > bounds.minDocServices) {
      faults.push({ name: 'SIGKILL doc-service', weight: 2, run: () => this.endDocService('SIGKILL') });
      faults.push({ name: 'SIGTERM doc-service', weight: 1, run: () => this.endDocService('SIGTERM') });
    }
    if (docServices < bounds.maxDocServices) {
      faults.push({
        name: 'start doc-service',
        weight: 3,
        run: async () => (await h.startDocService()).instanceId,
      });
    }
    const down = this.slots.filter((s) => !s.proc);
    if (down.length === 0) {
      faults.push({ name: 'SIGKILL gateway', weight: 1, run: () => this.endGateway('SIGKILL') });
      faults.push({ name: 'SIGTERM gateway', weight: 1, run: () => this.endGateway('SIGTERM') });
    } else {
      faults.push({ name: 'restart gateway', weight: 3, run: () => this.restartGateway(down[0]) });
    }
    const connected = this.typists.filter((t) => !this.dropped.has(t));
    if (connected.length > 0) {
      faults.push({
        name: 'disconnect client',
        weight: 2,
        run: async () => {
          const t = this.pick(connected);
          t.doc.disconnect();
          this.dropped.add(t);
          return t.tag;
        },
      });
    }
    if (this.dropped.size > 0) {
      faults.push({
        name: 'reconnect client',
        weight: 3,
        run: async () => {
          const t = this.pick([...this.dropped]);
          this.dropped.delete(t);
          t.doc.reconnect();
          return t.tag;
        },
      });
    }
    return faults;
  }

  private async endDocService(signal: 'SIGKILL' | 'SIGTERM'): Promise<string> {
    const victim = this.pick(this.h.docServices);
    const ended = signal === 'SIGKILL' ? this.h.killDocService(victim) : this.h.stopDocService(victim);
    await deadline(ended, `doc-service ${victim.instanceId} to exit after ${signal}`);
    return victim.instanceId;
  }

  private async endGateway(signal: 'SIGKILL' | 'SIGTERM'): Promise<string> {
    const slot = this.pick(this.slots);
    const proc = slot.proc!;
    slot.proc = undefined;
    await deadline(this.h.stopGatewayProcess(proc, signal), `gateway :${slot.port} to exit after ${signal}`);
    return `:${slot.port}`;
  }

  private async restartGateway(slot: GatewaySlot): Promise<string> {
    slot.proc = await this.h.startGatewayProcess({}, slot.port);
    return `:${slot.port}`;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }
}

async function deadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`waited ${EXIT_DEADLINE_MS} ms for ${what}`)),
      EXIT_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
