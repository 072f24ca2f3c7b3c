import { AppError, ClientEvent, ErrorCode } from '@collab/contracts';
import type { Logger } from 'pino';
import type { GatewayMetrics, OpStage } from './gateway-metrics';

/** The outcome of one socket event, reported once by the handler that answered it. */
export interface EventObservation {
  answered(): void;
  refused(error: unknown): void;
}

/**
 * Measures the socket events that matter for operations: joins by outcome,
 * and each operation from receipt to acknowledgement (committed, with its
 * latency, or refused, with its code). Operation lines are debug only (no
 * per-keystroke info logs) and carry the correlation id the doc-service and
 * the snapshot job log too.
 */
export class SocketEventObserver {
  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly log: Logger,
  ) {}

  begin(event: ClientEvent, correlationId?: string): EventObservation {
    if (event === ClientEvent.Op) return this.op(correlationId);
    if (event === ClientEvent.Join) {
      return {
        answered: () => this.metrics.sockets.joined(),
        refused: (error) => this.metrics.sockets.joined(codeOf(error)),
      };
    }
    return NOTHING;
  }

  /** One part of an acknowledged operation's time in the gateway. */
  opStage(stage: OpStage, seconds: number): void {
    this.metrics.opStages.observe({ stage }, seconds);
  }

  private op(correlationId: string | undefined): EventObservation {
    const started = performance.now();
    this.metrics.ops.received.inc();
    // A child logger costs pino a copy of its bindings and redaction: only when its lines are written.
    const log = this.log.isLevelEnabled('debug') ? this.log.child({ correlationId }) : undefined;
    log?.debug('op received');
    return {
      answered: () => {
        const seconds = (performance.now() - started) / 1000;
        this.metrics.ops.answered(seconds);
        log?.debug({ ms: seconds * 1000 }, 'op acknowledged');
      },
      refused: (error) => {
        const code = codeOf(error);
        this.metrics.ops.answered((performance.now() - started) / 1000, code);
        log?.debug({ code }, 'op refused');
      },
    };
  }
}

const NOTHING: EventObservation = { answered: () => undefined, refused: () => undefined };

function codeOf(error: unknown): string {
  return error instanceof AppError ? error.code : ErrorCode.INTERNAL;
}
