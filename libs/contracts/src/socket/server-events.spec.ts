import { DOC_ID, USER_ID, expectAccepted, expectRejected } from '../../test/expect-parse';
import { docRoom, userRoom } from './socket-events';
import {
  AccessChanged,
  AccessRevoked,
  CommittedOp,
  CommittedOps,
  SESSION_CLOSE_ACTIONS,
  ServerError,
  ServerEvent,
  SessionCloseReason,
  SessionClosed,
} from './server-events';

/** One committed operation as the doc-service broadcasts it. */
const committedOp = {
  docId: DOC_ID,
  version: 1,
  delta: [{ insert: 'a' }],
  clientId: 'c',
  seq: 1,
  userId: USER_ID,
};

describe('server events', () => {
  it('have distinct names', () => {
    const names = Object.values(ServerEvent);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'ops',
        'presence',
        'presence:leave',
        'access:changed',
        'access:revoked',
        'error',
      ]),
    );
  });

  it('CommittedOp carries who made it and the version it produced', () => {
    const op = committedOp;
    expectAccepted(CommittedOp, op);
    expectRejected(CommittedOp, { ...op, version: 0 }, { path: 'version' });
    expectRejected(CommittedOp, { ...op, seq: -1 }, { path: 'seq' });
    expectRejected(CommittedOp, { ...op, userId: undefined }, { path: 'userId' });
  });

  it('CommittedOp tolerates fields added by a newer server, and drops them', () => {
    const op = { docId: DOC_ID, version: 1, delta: [], clientId: 'c', seq: 1, userId: USER_ID };
    expect(expectAccepted(CommittedOp, { ...op, createdAt: 'now' })).toEqual(op);
  });

  it('CommittedOps carries one commit of one document, at least one operation', () => {
    const op = committedOp;
    expectAccepted(CommittedOps, { docId: DOC_ID, ops: [op, { ...op, version: 2, seq: 2 }] });
    expectRejected(CommittedOps, { docId: DOC_ID, ops: [] }, { path: 'ops' });
    expectRejected(CommittedOps, { docId: DOC_ID, ops: [{ ...op, version: 0 }] }, { path: 'ops[0].version' });
  });

  it('access events carry a role or a reason', () => {
    expectAccepted(AccessChanged, { docId: DOC_ID, role: 'viewer' });
    expectRejected(AccessChanged, { docId: DOC_ID, role: null }, { path: 'role' });
    expectAccepted(AccessRevoked, { docId: DOC_ID, reason: 'member_removed' });
    expectAccepted(AccessRevoked, { docId: DOC_ID, reason: 'document_deleted' });
    expectRejected(AccessRevoked, { docId: DOC_ID, reason: 'bored' }, { path: 'reason' });
  });

  it('error events are wire errors with an optional document', () => {
    expectAccepted(ServerError, { code: 'UNKNOWN_EVENT', message: 'x' });
    expectAccepted(ServerError, { code: 'NOT_JOINED', message: 'x', docId: DOC_ID });
    expectRejected(ServerError, { code: 'NOPE', message: 'x' }, { path: 'code' });
  });

  it('every close reason has a client action; an expired token means refresh', () => {
    expect(Object.keys(SESSION_CLOSE_ACTIONS).sort()).toEqual(Object.values(SessionCloseReason).sort());
    expect(SESSION_CLOSE_ACTIONS[SessionCloseReason.TokenExpired]).toBe('refresh');
    expect(SESSION_CLOSE_ACTIONS[SessionCloseReason.ProtocolMismatch]).toBe('reload');
    expectAccepted(SessionClosed, { reason: 'TOKEN_EXPIRED', message: 'Your session has expired.' });
    expectRejected(SessionClosed, { reason: 'BORED', message: '' }, { path: 'reason' });
  });

  it('room names are made from ids, the same for every process', () => {
    expect(docRoom(DOC_ID)).toBe(`doc:${DOC_ID}`);
    expect(docRoom(DOC_ID.toUpperCase())).toBe(docRoom(DOC_ID));
    expect(userRoom(USER_ID)).toBe(`user:${USER_ID}`);
    expect(docRoom(DOC_ID)).not.toBe(userRoom(DOC_ID));
  });
});
