import { DOC_ID, USER_ID, expectAccepted, expectRejected } from '../../test/expect-parse';
import { PresenceEntry } from './presence-entry';

describe('PresenceEntry', () => {
  const state = {
    docId: DOC_ID,
    sessionId: 'sock-1',
    userId: USER_ID,
    name: 'Grace',
    color: '#123ABC',
    version: 3,
    selection: { anchor: 0, head: 5 },
  };
  const gateway = { gatewayId: 'gateway-1', runId: '0b6f3a52-41c8-4d1e-9f27-8a5c6e3d2b19' };

  it('accepts a caret with the gateway run holding its session', () => {
    expectAccepted(PresenceEntry, { gateway, state });
  });

  it.each([
    ['a bare caret (the shape stored before gateway runs)', state, 'gateway'],
    ['a run without its boot id', { gateway: { gatewayId: 'gateway-1' }, state }, 'gateway.runId'],
    ['a gateway id with a colon', { gateway: { ...gateway, gatewayId: 'a:b' }, state }, 'gateway.gatewayId'],
    ['a malformed caret', { gateway, state: { ...state, color: 'red' } }, 'state.color'],
  ])('rejects %s', (_, value, path) => {
    expectRejected(PresenceEntry, value, { path });
  });
});
