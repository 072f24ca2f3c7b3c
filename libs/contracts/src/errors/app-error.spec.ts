import { fromWire } from '../../test/expect-parse';
import { AppError, isAppError, toWireError } from './app-error';
import { ERROR_MESSAGES } from './error-codes';
import { WireError, wireError } from './wire-error';

describe('AppError', () => {
  it('carries a code, the default message and no details by default', () => {
    const error = new AppError('FORBIDDEN');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AppError');
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toBe(ERROR_MESSAGES.FORBIDDEN);
    expect(error.toWire()).toEqual({ code: 'FORBIDDEN', message: ERROR_MESSAGES.FORBIDDEN });
    expect(isAppError(error)).toBe(true);
  });

  it('keeps a custom message, details and cause', () => {
    const cause = new Error('pg: duplicate key');
    const error = new AppError('SEQ_REUSED', 'seq 4 was used for another operation', {
      details: { seq: 4 },
      cause,
    });
    expect(error.cause).toBe(cause);
    expect(error.toWire()).toEqual({
      code: 'SEQ_REUSED',
      message: 'seq 4 was used for another operation',
      details: { seq: 4 },
    });
    expect(WireError.safeParse(error.toWire()).success).toBe(true);
  });

  it('turns unexpected errors into INTERNAL without leaking their text', () => {
    expect(toWireError(new Error('password=hunter2 at db.ts:12'))).toEqual({
      code: 'INTERNAL',
      message: ERROR_MESSAGES.INTERNAL,
    });
    expect(toWireError('a string')).toEqual({ code: 'INTERNAL', message: ERROR_MESSAGES.INTERNAL });
    expect(toWireError(new AppError('NOT_FOUND')).code).toBe('NOT_FOUND');
    expect(isAppError(new Error('x'))).toBe(false);
  });
});

describe('WireError', () => {
  it('accepts a code, a message and optional details', () => {
    expect(WireError.safeParse({ code: 'TIMEOUT', message: 'slow' }).success).toBe(true);
    expect(WireError.safeParse({ code: 'BAD_REQUEST', message: 'x', details: { issues: [] } }).success).toBe(
      true,
    );
  });

  it('refuses unknown codes, missing messages and oversize messages', () => {
    expect(WireError.safeParse({ code: 'OOPS', message: 'x' }).success).toBe(false);
    expect(WireError.safeParse({ code: 'TIMEOUT' }).success).toBe(false);
    expect(WireError.safeParse({ code: 'TIMEOUT', message: 'x'.repeat(1_001) }).success).toBe(false);
    expect(WireError.safeParse({ code: 'TIMEOUT', message: 'x', details: [1] }).success).toBe(false);
  });

  it('drops a __proto__ key instead of letting it change the prototype', () => {
    const parsed = WireError.parse(
      fromWire('{"code":"TIMEOUT","message":"x","__proto__":{"polluted":true}}'),
    );
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect((parsed as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('wireError() fills the default message and cuts long ones', () => {
    expect(wireError('NOT_JOINED')).toEqual({ code: 'NOT_JOINED', message: ERROR_MESSAGES.NOT_JOINED });
    expect(wireError('INTERNAL', 'y'.repeat(5_000)).message).toHaveLength(1_000);
  });
});
