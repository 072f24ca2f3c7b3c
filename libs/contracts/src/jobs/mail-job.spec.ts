import { DOC_ID, expectAccepted, expectRejected } from '../../test/expect-parse';
import { MailJobData, mentionMailJobId } from './mail-job';

const ID = '0b9f8d2e-4c1a-4f7e-9a3b-2d5c6e7f8a9b';

const mention = {
  kind: 'mention',
  to: 'ann@example.test',
  recipientName: 'Ann',
  actorName: 'Bob <b>',
  docId: DOC_ID,
  documentTitle: 'Plan',
  threadId: ID,
  commentId: ID,
  notificationId: ID,
  body: '<script>alert(1)</script> @Ann look',
};

const invitation = {
  kind: 'invitation',
  to: 'Carl@Example.test',
  inviterName: 'Ann',
  docId: DOC_ID,
  documentTitle: '',
  invitationId: ID,
  role: 'commenter',
  token: 'secret-token',
  expiresAt: '2030-01-01T00:00:00.000Z',
};

describe('MailJobData', () => {
  it('accepts a mention and an invitation; the address is normalized', () => {
    expectAccepted(MailJobData, mention);
    expect(MailJobData.parse(invitation)).toMatchObject({ kind: 'invitation', to: 'carl@example.test' });
  });

  it('refuses poison payloads', () => {
    expectRejected(MailJobData, { ...mention, kind: 'spam' });
    expectRejected(MailJobData, { ...mention, to: 'not an address' });
    expectRejected(MailJobData, { ...mention, threadId: 'x' });
    expectRejected(MailJobData, { ...mention, extra: 1 });
    expectRejected(MailJobData, { ...invitation, role: 'owner' });
    expectRejected(MailJobData, { ...invitation, token: '' });
    expectRejected(MailJobData, { ...mention, body: 'x'.repeat(100_000) });
    expectRejected(MailJobData, null);
  });
});

describe('mentionMailJobId', () => {
  it('is one id per notification, without a colon', () => {
    expect(mentionMailJobId(ID.toUpperCase())).toBe(`mail-mention-${ID}`);
    expect(mentionMailJobId(ID)).not.toContain(':');
    expect(() => mentionMailJobId('x')).toThrow(RangeError);
  });
});
