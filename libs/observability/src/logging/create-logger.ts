import { type DestinationStream, type Logger, type LevelWithSilent, pino } from 'pino';

export interface LoggerOptions {
  /** The service name, on every line (`service`). */
  readonly service: string;
  /** This process's instance id, on every line (`instance`). */
  readonly instance: string;
  readonly level: LevelWithSilent;
  /** Where lines go; stdout when omitted (tests pass a stream to read them). */
  readonly destination?: DestinationStream;
}

/** Paths whose values never reach a log line. */
const REDACTED = [
  'token',
  'accessToken',
  'refreshToken',
  'password',
  '*.token',
  '*.password',
  '*.authorization',
];

/**
 * The JSON logger of a service: one object per line with `level` as a name,
 * an ISO `time`, the `service` and `instance` base fields, errors serialized
 * under `err`, and secrets redacted. Lines about one operation carry its
 * `correlationId` (a child logger or a field), from the gateway's socket
 * event through the doc-service and its actor to the snapshot job.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { service: options.service, instance: options.instance, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACTED, censor: '[redacted]' },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
