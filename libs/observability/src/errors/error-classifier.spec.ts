import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { AppError, ErrorCode } from '@collab/contracts';
import { pino } from 'pino';
import { classifyError, ERROR_REFERENCE, reportError } from './error-classifier';
import { isInfrastructureUnavailable } from './infrastructure-errors';

/** A real connection refused: nothing listens on port 1 of the loopback. */
function refusedConnection(): Promise<Error> {
  return new Promise((resolve) => {
    const socket = connect(1, '127.0.0.1');
    socket.once('error', (error) => resolve(error));
  });
}

/** A pino logger writing its lines into an array. */
function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

/** Pino writes asynchronously to a stream: wait for the lines to arrive. */
const flushed = () => new Promise((resolve) => setImmediate(resolve));

describe('isInfrastructureUnavailable', () => {
  it('knows lost connections, PostgreSQL shutdowns and Redis reconnects, also wrapped', async () => {
    expect(isInfrastructureUnavailable(await refusedConnection())).toBe(true);
    // node-postgres errors carry SQLSTATE codes; TypeORM wraps them in driverError.
    expect(isInfrastructureUnavailable({ code: '57P01', message: 'terminating connection' })).toBe(true);
    expect(isInfrastructureUnavailable({ driverError: { code: '08006' } })).toBe(true);
    expect(isInfrastructureUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isInfrastructureUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isInfrastructureUnavailable(Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' })),
    ).toBe(true);
    expect(isInfrastructureUnavailable(new Error('x', { cause: await refusedConnection() }))).toBe(true);
  });

  it('does not take a bug or a constraint violation for an outage', () => {
    expect(isInfrastructureUnavailable(new TypeError('undefined is not a function'))).toBe(false);
    expect(isInfrastructureUnavailable({ code: '23505' })).toBe(false);
    expect(isInfrastructureUnavailable(null)).toBe(false);
    expect(isInfrastructureUnavailable('ECONNREFUSED')).toBe(false);
  });
});

describe('classifyError', () => {
  it('keeps an AppError as it is', () => {
    const refusal = new AppError(ErrorCode.FORBIDDEN);
    expect(classifyError(refusal)).toBe(refusal);
  });

  it('answers an outage UNAVAILABLE (retryable) and anything else INTERNAL, keeping the cause', async () => {
    const outage = await refusedConnection();
    const unavailable = classifyError(outage);
    expect(unavailable).toMatchObject({ code: ErrorCode.UNAVAILABLE, cause: outage });
    const bug = new TypeError('boom');
    const internal = classifyError(bug);
    expect(internal).toMatchObject({ code: ErrorCode.INTERNAL, cause: bug });
    // The client never sees the cause's text.
    expect(internal.toWire().message).not.toContain('boom');
  });
});

describe('reportError', () => {
  it('logs an unknown error once with a reference, and sends the reference, not the cause', async () => {
    const { log, lines } = memoryLogger();
    const bug = new TypeError('boom');
    const answer = reportError(log, bug, { correlationId: 'c-1' });
    await flushed();
    const reference = answer.details?.[ERROR_REFERENCE];
    expect(reference).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(answer).toMatchObject({ code: ErrorCode.INTERNAL, cause: bug });
    expect(answer.toWire()).toEqual({
      code: ErrorCode.INTERNAL,
      message: expect.not.stringContaining('boom') as string,
      details: { [ERROR_REFERENCE]: reference },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      correlationId: 'c-1',
      code: ErrorCode.INTERNAL,
      [ERROR_REFERENCE]: reference,
      err: { type: 'TypeError', message: 'boom' },
    });
  });

  it('logs an outage as a warning and answers UNAVAILABLE', async () => {
    const { log, lines } = memoryLogger();
    const answer = reportError(log, await refusedConnection());
    await flushed();
    expect(answer.code).toBe(ErrorCode.UNAVAILABLE);
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, [ERROR_REFERENCE]: answer.details?.[ERROR_REFERENCE] }),
    ]);
  });

  it('logs one cause once however often it is reported, and never a deliberate refusal', async () => {
    const { log, lines } = memoryLogger();
    const cause = new Error('Connection terminated unexpectedly');
    // One failed commit refuses every operation of its batch with the same error.
    const refusal = new AppError(ErrorCode.UNAVAILABLE, 'the operation could not be stored; resend it', {
      cause,
    });
    const first = reportError(log, refusal);
    const second = reportError(log, refusal);
    // Reported again further along (an answer that already carries its reference).
    const third = reportError(log, first);
    expect(reportError(log, new AppError(ErrorCode.FORBIDDEN))).toEqual(new AppError(ErrorCode.FORBIDDEN));
    await flushed();
    expect(lines).toHaveLength(1);
    expect(first.details?.[ERROR_REFERENCE]).toBe(lines[0][ERROR_REFERENCE]);
    expect(second.details).toEqual(first.details);
    expect(third).toBe(first);
    expect(first.message).toBe('the operation could not be stored; resend it');
  });
});
