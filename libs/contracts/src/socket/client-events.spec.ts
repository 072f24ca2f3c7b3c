import { DOC_ID, USER_ID, expectAccepted, expectRejected, fromWire } from '../../test/expect-parse';
import { MAX_CATCHUP_LIMIT } from '../limits';
import type { ServerEvent } from './server-events';
import type { ClientToServerEvents, ServerToClientEvents } from './socket-events';
import {
  CatchupAck,
  CatchupRequest,
  ClientEvent,
  ClientEventAck,
  ClientEventPayload,
  JoinAck,
  JoinRequest,
  LeaveAck,
  LeaveRequest,
  OpAck,
  OpRequest,
  catchupLimit,
  isClientEvent,
} from './client-events';

// Compile-time: the typed-events maps name exactly the declared events.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const eventMapsMatch: [
  Same<keyof ClientToServerEvents, ClientEvent>,
  Same<keyof ServerToClientEvents, ServerEvent>,
] = [true, true];

const op = { docId: DOC_ID, clientId: 'tab_1-A', seq: 1, baseVersion: 0, delta: [{ insert: 'hi' }] };

describe('client event names', () => {
  it('are the declared ones only', () => {
    expect(Object.values(ClientEvent).sort()).toEqual(['catchup', 'join', 'leave', 'op', 'presence']);
    for (const name of Object.values(ClientEvent)) expect(isClientEvent(name)).toBe(true);
    for (const name of ['error', 'connect', 'toString', '__proto__', 'OP', '', 1, undefined]) {
      expect(isClientEvent(name)).toBe(false);
    }
  });

  it('have a payload schema and an ack schema each', () => {
    expect(eventMapsMatch).toEqual([true, true]);
    expect(Object.keys(ClientEventPayload).sort()).toEqual(Object.values(ClientEvent).sort());
    expect(Object.keys(ClientEventAck).sort()).toEqual(Object.values(ClientEvent).sort());
  });
});

describe('join / leave', () => {
  it('accept a document id', () => {
    expectAccepted(JoinRequest, { docId: DOC_ID });
    expectAccepted(LeaveRequest, { docId: DOC_ID });
  });

  it.each([
    ['no docId', {}, 'docId'],
    ['a bad uuid', { docId: 'doc-1' }, 'docId'],
    ['a numeric docId', { docId: 1 }, 'docId'],
    ['a client-chosen room', { docId: DOC_ID, room: 'admin' }, '(root)'],
  ])('reject %s', (_name, input, path) => {
    expectRejected(JoinRequest, input, { path });
    expectRejected(LeaveRequest, input, { path });
  });

  it('reject a __proto__ key arriving through JSON.parse', () => {
    expectRejected(JoinRequest, fromWire(`{"docId":"${DOC_ID}","__proto__":{"isAdmin":true}}`), {
      path: '(root)',
    });
  });

  it('ack with the document, role and presence, or an error', () => {
    const ok = {
      ok: true as const,
      docId: DOC_ID,
      version: 7,
      content: [{ insert: 'Hello\n' }],
      role: 'editor' as const,
      presence: [
        {
          docId: DOC_ID,
          sessionId: 's1',
          userId: USER_ID,
          name: 'Ada',
          color: '#aabbcc',
          version: 7,
          selection: { anchor: 1, head: 3 },
        },
      ],
    };
    expect(expectAccepted(JoinAck, ok)).toEqual(ok);
    expectAccepted(JoinAck, { ...ok, html: '<p>Hello</p>' });
    expectAccepted(JoinAck, { ok: false, error: { code: 'FORBIDDEN', message: 'no' } });
    expectRejected(JoinAck, { ...ok, role: 'admin' }, { path: 'role' });
    expectRejected(JoinAck, { ...ok, content: [{ retain: 1 }] }, { path: 'content[0]' });
    expectRejected(JoinAck, { ok: false }, { path: 'error' });
    expectRejected(JoinAck, { ok: 'yes' }, { path: 'ok' });
    expectAccepted(LeaveAck, { ok: true });
  });
});

describe('op', () => {
  it('accepts a well-formed operation', () => {
    expect(expectAccepted(OpRequest, op)).toEqual(op);
    expectAccepted(OpRequest, { ...op, clientId: 'x'.repeat(64), seq: Number.MAX_SAFE_INTEGER });
  });

  it.each([
    ['a missing docId', { ...op, docId: undefined }, 'docId'],
    ['a bad docId', { ...op, docId: 'nope' }, 'docId'],
    ['an empty clientId', { ...op, clientId: '' }, 'clientId'],
    ['a long clientId', { ...op, clientId: 'x'.repeat(65) }, 'clientId'],
    ['a clientId with a colon', { ...op, clientId: 'a:b' }, 'clientId'],
    ['a zero seq', { ...op, seq: 0 }, 'seq'],
    ['a fractional seq', { ...op, seq: 1.5 }, 'seq'],
    ['an unsafe seq', { ...op, seq: 2 ** 53 }, 'seq'],
    ['a string seq', { ...op, seq: '1' }, 'seq'],
    ['a negative baseVersion', { ...op, baseVersion: -1 }, 'baseVersion'],
    ['a fractional baseVersion', { ...op, baseVersion: 0.5 }, 'baseVersion'],
    ['a missing delta', { ...op, delta: undefined }, 'delta'],
    ['a Delta object instead of its ops', { ...op, delta: { ops: [] } }, 'delta'],
    ['a malformed component', { ...op, delta: [{ retain: -2 }] }, 'delta[0].retain'],
    ['an extra key', { ...op, userId: USER_ID }, '(root)'],
  ])('rejects %s', (_name, input, path) => {
    expectRejected(OpRequest, input, { path });
  });

  it('rejects a payload that is not an object', () => {
    for (const input of [null, 'op', 42, [op]]) expectRejected(OpRequest, input, { path: '(root)' });
  });

  it('acks with a committed version', () => {
    expectAccepted(OpAck, { ok: true, version: 1 });
    expectRejected(OpAck, { ok: true, version: 0 }, { path: 'version' });
    expectRejected(OpAck, { ok: true }, { path: 'version' });
    expectAccepted(OpAck, { ok: false, error: { code: 'SEQ_REUSED', message: 'x' } });
  });
});

describe('catchup', () => {
  it('accepts a version and an optional limit', () => {
    expectAccepted(CatchupRequest, { docId: DOC_ID, fromVersion: 0 });
    expectAccepted(CatchupRequest, { docId: DOC_ID, fromVersion: 10, limit: MAX_CATCHUP_LIMIT });
    expect(catchupLimit({})).toBe(500);
    expect(catchupLimit({ limit: 20 })).toBe(20);
  });

  it('rejects negative versions and out-of-range limits', () => {
    expectRejected(CatchupRequest, { docId: DOC_ID, fromVersion: -1 }, { path: 'fromVersion' });
    expectRejected(CatchupRequest, { docId: DOC_ID, fromVersion: 0, limit: 0 }, { path: 'limit' });
    expectRejected(
      CatchupRequest,
      { docId: DOC_ID, fromVersion: 0, limit: MAX_CATCHUP_LIMIT + 1 },
      { path: 'limit' },
    );
  });

  it('acks with contiguous committed operations', () => {
    const committed = {
      docId: DOC_ID,
      version: 2,
      delta: [{ delete: 1 }],
      clientId: 'c',
      seq: 3,
      userId: USER_ID,
    };
    expectAccepted(CatchupAck, { ok: true, ops: [committed], headVersion: 9, hasMore: true });
    expectRejected(
      CatchupAck,
      { ok: true, ops: [{ ...committed, userId: 'u' }], headVersion: 9, hasMore: false },
      {
        path: 'ops[0].userId',
      },
    );
    expectRejected(CatchupAck, { ok: true, ops: [], headVersion: 9 }, { path: 'hasMore' });
  });
});
