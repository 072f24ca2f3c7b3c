import { DOC_ID, USER_ID, expectAccepted, expectRejected } from '../../test/expect-parse';
import { PresenceLeave, PresenceState, PresenceUpdate } from './presence';

describe('presence', () => {
  const update = { docId: DOC_ID, version: 3, selection: { anchor: 0, head: 5 } };
  const state = { ...update, sessionId: 'sock-1', userId: USER_ID, name: 'Grace', color: '#123ABC' };

  it('accepts a caret, a selection or no selection', () => {
    expectAccepted(PresenceUpdate, update);
    expectAccepted(PresenceUpdate, { ...update, selection: null });
    expectAccepted(PresenceState, state);
    expectAccepted(PresenceLeave, { docId: DOC_ID, sessionId: 'sock-1' });
  });

  it.each([
    ['a missing selection', { docId: DOC_ID, version: 3 }, 'selection'],
    ['a negative index', { ...update, selection: { anchor: -1, head: 0 } }, 'selection.anchor'],
    ['a fractional index', { ...update, selection: { anchor: 0, head: 1.5 } }, 'selection.head'],
    ['an extra selection key', { ...update, selection: { anchor: 0, head: 0, x: 1 } }, 'selection'],
    ['a name sent by the client', { ...update, name: 'Mallory' }, '(root)'],
    ['a negative version', { ...update, version: -1 }, 'version'],
  ])('rejects %s from a client', (_name, input, path) => {
    expectRejected(PresenceUpdate, input, { path });
  });

  it('rejects bad colours and empty names in server state', () => {
    expectRejected(PresenceState, { ...state, color: 'red' }, { path: 'color' });
    expectRejected(PresenceState, { ...state, name: '   ' }, { path: 'name' });
    expectRejected(PresenceState, { ...state, userId: 'nope' }, { path: 'userId' });
  });
});
