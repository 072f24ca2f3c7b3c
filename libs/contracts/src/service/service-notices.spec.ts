import { DOC_ID, USER_ID, expectAccepted, expectRejected } from '../../test/expect-parse';
import { OpBroadcast } from './broadcast';
import { GatewayNotice } from './gateway-notices';
import { MembershipRecord } from './membership';

describe('GatewayNotice', () => {
  it('announces a changed role, a removal and a deletion', () => {
    expectAccepted(GatewayNotice, { type: 'access:changed', docId: DOC_ID, userId: USER_ID, role: 'viewer' });
    expectAccepted(GatewayNotice, { type: 'access:changed', docId: DOC_ID, userId: USER_ID, role: null });
    expectAccepted(GatewayNotice, { type: 'document:deleted', docId: DOC_ID, correlationId: 'c-1' });
  });

  it('announces an ended sign-in session by its id', () => {
    expectAccepted(GatewayNotice, { type: 'session:ended', sessionId: USER_ID });
    expectRejected(GatewayNotice, { type: 'session:ended', sessionId: 'not-a-uuid' }, { path: 'sessionId' });
    expectRejected(GatewayNotice, { type: 'session:ended' }, { path: 'sessionId' });
  });

  it('refuses a missing role, a bad role or an unknown type', () => {
    expectRejected(
      GatewayNotice,
      { type: 'access:changed', docId: DOC_ID, userId: USER_ID },
      { path: 'role' },
    );
    expectRejected(
      GatewayNotice,
      { type: 'access:changed', docId: DOC_ID, userId: USER_ID, role: 'root' },
      {
        path: 'role',
      },
    );
    expectRejected(GatewayNotice, { type: 'reboot', docId: DOC_ID }, { path: 'type' });
  });
});

describe('OpBroadcast', () => {
  it('wraps a committed operation', () => {
    const op = { docId: DOC_ID, version: 3, delta: [{ retain: 1 }], clientId: 'c', seq: 2, userId: USER_ID };
    expectAccepted(OpBroadcast, { type: 'op', op });
    expectRejected(OpBroadcast, { type: 'op', op: { ...op, version: -3 } }, { path: 'op.version' });
  });
});

describe('MembershipRecord', () => {
  const record = {
    instanceId: 'doc-service-7f9c.a',
    inbox: 'collab:inbox:doc-service-7f9c.a',
    startedAt: 1,
    heartbeatAt: 2,
  };

  it('accepts an instance record', () => {
    expectAccepted(MembershipRecord, record);
  });

  it('refuses ids with a colon, missing inboxes and bad times', () => {
    expectRejected(MembershipRecord, { ...record, instanceId: 'a:b' }, { path: 'instanceId' });
    expectRejected(MembershipRecord, { ...record, inbox: '' }, { path: 'inbox' });
    expectRejected(MembershipRecord, { ...record, heartbeatAt: -1 }, { path: 'heartbeatAt' });
    expectRejected(MembershipRecord, { ...record, startedAt: '2024-01-01' }, { path: 'startedAt' });
  });

  it('accepts an owner link and refuses one that is not a bare ws:// address or has a short token', () => {
    const link = { url: 'ws://10.0.3.7:3101', token: 'x'.repeat(43) };
    expectAccepted(MembershipRecord, { ...record, link });
    expectRejected(
      MembershipRecord,
      { ...record, link: { ...link, url: 'http://10.0.3.7:3101' } },
      { path: 'link.url' },
    );
    expectRejected(MembershipRecord, { ...record, link: { ...link, url: 'ws://a/b' } }, { path: 'link.url' });
    expectRejected(
      MembershipRecord,
      { ...record, link: { ...link, token: 'short' } },
      { path: 'link.token' },
    );
  });
});
