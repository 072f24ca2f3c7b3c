import { OtErrorCode } from '@collab/ot';
import {
  ERROR_MESSAGES,
  ErrorCode,
  ErrorCodeSchema,
  isRetryableErrorCode,
  RETRYABLE_ERROR_CODES,
} from './error-codes';

describe('ErrorCode', () => {
  it('contains every libs/ot error code verbatim', () => {
    for (const [key, value] of Object.entries(OtErrorCode)) {
      expect(ErrorCode).toHaveProperty(key, value);
      expect(ErrorCodeSchema.safeParse(value).success).toBe(true);
    }
  });

  it('contains the codes every transport relies on', () => {
    const required = [
      'BAD_REQUEST',
      'UNAUTHENTICATED',
      'TOKEN_EXPIRED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFLICT',
      'EMAIL_TAKEN',
      'WEAK_PASSWORD',
      'INVALID_CREDENTIALS',
      'INVITATION_INVALID',
      'INVITATION_EXPIRED',
      'NOT_OWNER',
      'SEQ_REUSED',
      'OP_CHANGES_NOTHING',
      'RATE_LIMITED',
      'MESSAGE_TOO_LARGE',
      'TOO_MANY_SOCKETS',
      'ORIGIN_NOT_ALLOWED',
      'DOCUMENT_DELETED',
      'PROTOCOL_MISMATCH',
      'UNKNOWN_EVENT',
      'NOT_JOINED',
      'TIMEOUT',
      'UNAVAILABLE',
      'INTERNAL',
    ];
    for (const code of required) expect(ErrorCodeSchema.safeParse(code).success).toBe(true);
  });

  it('maps every key to itself, so a code reads the same in code and on the wire', () => {
    for (const [key, value] of Object.entries(ErrorCode)) expect(value).toBe(key);
  });

  it('has a short default message for every code', () => {
    expect(Object.keys(ERROR_MESSAGES).sort()).toEqual(Object.values(ErrorCode).sort());
    for (const message of Object.values(ERROR_MESSAGES)) {
      expect(message.length).toBeGreaterThan(0);
      expect(message.length).toBeLessThanOrEqual(120);
    }
  });

  it('refuses anything outside the table, including inherited property names', () => {
    for (const value of [
      'NOPE',
      'bad_request',
      '',
      'toString',
      '__proto__',
      'constructor',
      42,
      null,
      undefined,
    ]) {
      expect(ErrorCodeSchema.safeParse(value).success).toBe(false);
    }
  });

  it('marks only transient failures as retryable', () => {
    expect([...RETRYABLE_ERROR_CODES].sort()).toEqual([
      'NOT_OWNER',
      'RATE_LIMITED',
      'TIMEOUT',
      'UNAVAILABLE',
    ]);
    expect(isRetryableErrorCode('TIMEOUT')).toBe(true);
    expect(isRetryableErrorCode('INVALID_OP')).toBe(false);
    expect(isRetryableErrorCode('SEQ_REUSED')).toBe(false);
    expect(isRetryableErrorCode('OP_CHANGES_NOTHING')).toBe(false);
  });
});
