import { DOC_ID, USER_ID, expectAccepted, expectRejected, fromWire } from '../../test/expect-parse';
import { parseJson } from '../parse';
import {
  DocServiceReply,
  DocServiceRequest,
  DocServiceRequestType,
  docServiceReplyError,
  docServiceReplyOk,
  parseDocServiceResult,
} from './doc-service-messages';

const envelope = { requestId: 'req-1', replyTo: 'collab:replies:gw-1', correlationId: 'corr-1' };
const requests = {
  op: {
    type: 'op',
    ...envelope,
    docId: DOC_ID,
    userId: USER_ID,
    clientId: 'c1',
    seq: 1,
    baseVersion: 0,
    delta: [{ insert: 'x' }],
  },
  load: { type: 'load', ...envelope, docId: DOC_ID },
  catchup: { type: 'catchup', ...envelope, docId: DOC_ID, fromVersion: 4, limit: 100 },
  restore: {
    type: 'restore',
    ...envelope,
    docId: DOC_ID,
    userId: USER_ID,
    toVersion: 3,
    clientId: 'restore-1',
    seq: 1,
  },
} as const;

describe('DocServiceRequest', () => {
  it.each(Object.entries(requests))('accepts a %s request', (_type, request) => {
    expect(expectAccepted(DocServiceRequest, request)).toEqual(request);
  });

  it('covers every request type', () => {
    expect(Object.keys(requests).sort()).toEqual(Object.values(DocServiceRequestType).sort());
  });

  it('carries the submitting socket of an operation when the gateway names it', () => {
    const op = { ...requests.op, socketId: 'Xk3_9aZ-QwErTyUiOpAs' };
    expect(expectAccepted(DocServiceRequest, op)).toEqual(op);
    expectRejected(DocServiceRequest, { ...requests.op, socketId: '' }, { path: 'socketId' });
  });

  it('refuses an unknown type', () => {
    expectRejected(DocServiceRequest, { ...requests.load, type: 'drop' }, { path: 'type' });
    expectRejected(DocServiceRequest, { docId: DOC_ID }, { path: 'type' });
  });

  it.each([
    ['a missing requestId', { ...requests.op, requestId: undefined }, 'requestId'],
    ['a missing replyTo', { ...requests.op, replyTo: undefined }, 'replyTo'],
    ['a missing correlationId', { ...requests.load, correlationId: undefined }, 'correlationId'],
    ['a bad userId', { ...requests.op, userId: 'u' }, 'userId'],
    ['a float baseVersion', { ...requests.op, baseVersion: 1.5 }, 'baseVersion'],
    ['a malformed delta', { ...requests.op, delta: [{ insert: '' }] }, 'delta[0].insert'],
    ['a zero catch-up limit', { ...requests.catchup, limit: 0 }, 'limit'],
    ['a missing catch-up limit', { ...requests.catchup, limit: undefined }, 'limit'],
    ['a negative restore version', { ...requests.restore, toVersion: -1 }, 'toVersion'],
    ['a restore without a dedupe key', { ...requests.restore, clientId: undefined }, 'clientId'],
  ])('refuses %s', (_name, input, path) => {
    expectRejected(DocServiceRequest, input, { path });
  });

  it('strips fields added by a newer peer (rolling deploys) and __proto__ keys', () => {
    expect(expectAccepted(DocServiceRequest, { ...requests.load, priority: 'high' })).toEqual(requests.load);
    const fromRedis = parseJson(
      DocServiceRequest,
      `{"type":"load","requestId":"r","replyTo":"x","correlationId":"c","docId":"${DOC_ID}","__proto__":{"admin":true}}`,
    );
    expect(fromRedis.ok).toBe(true);
    if (!fromRedis.ok) return;
    expect(Object.getPrototypeOf(fromRedis.value)).toBe(Object.prototype);
    expect(Object.keys(fromRedis.value)).not.toContain('__proto__');
  });
});

describe('DocServiceReply', () => {
  it('builds and accepts success and failure replies', () => {
    const ok = docServiceReplyOk(requests.op, { version: 5 });
    expect(ok).toEqual({
      type: 'reply',
      requestId: 'req-1',
      correlationId: 'corr-1',
      ok: true,
      result: { version: 5 },
    });
    expectAccepted(DocServiceReply, ok);
    const failed = docServiceReplyError(requests.op, { code: 'NOT_OWNER', message: 'moved' });
    expectAccepted(DocServiceReply, failed);
    expectRejected(DocServiceReply, { ...failed, error: undefined }, { path: 'error' });
    expectRejected(DocServiceReply, { ...ok, type: 'request' }, { path: 'type' });
    expectRejected(DocServiceReply, fromWire('{"type":"reply","requestId":"r","ok":"true"}'), { path: 'ok' });
  });

  it('checks a result against the schema of the request type', () => {
    expect(parseDocServiceResult('op', { version: 5 })).toEqual({ ok: true, value: { version: 5 } });
    expect(parseDocServiceResult('load', { version: 0, content: [{ insert: '\n' }] }).ok).toBe(true);
    expect(parseDocServiceResult('catchup', { ops: [], headVersion: 3, hasMore: false }).ok).toBe(true);
    expect(parseDocServiceResult('restore', { version: 9 }).ok).toBe(true);
    const bad = parseDocServiceResult('load', { version: 5 });
    expect(!bad.ok && bad.error.code).toBe('INTERNAL');
  });
});
