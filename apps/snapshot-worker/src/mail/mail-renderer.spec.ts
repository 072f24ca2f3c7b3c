import type { InvitationMail, MentionMail } from '@collab/contracts';
import { MAIL_EXCERPT_LENGTH, renderMail } from './mail-renderer';

const BASE = 'https://collab.example.test/app';
const DOC = '3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b';
const ID = '0b9f8d2e-4c1a-4f7e-9a3b-2d5c6e7f8a9b';

const mention: MentionMail = {
  kind: 'mention',
  to: 'ann@example.test',
  recipientName: 'Ann',
  actorName: 'Bob\r\nBcc: evil@example.test',
  docId: DOC,
  documentTitle: '  ',
  threadId: ID,
  commentId: ID,
  notificationId: ID,
  body: 'line one\n<img src=x onerror=alert(1)>',
};

describe('renderMail', () => {
  it('links a mention to the document at its thread, under the public address', () => {
    const mail = renderMail(mention, BASE);
    expect(mail.link).toBe(`${BASE}/d/${DOC}?thread=${ID}`);
    expect(mail.text).toContain(mail.link);
    expect(mail.html).toContain(`href="${mail.link}"`);
  });

  it('keeps the subject on one line and names an untitled document', () => {
    const { subject } = renderMail(mention, BASE);
    expect(subject).toBe('Bob Bcc: evil@example.test mentioned you in Untitled');
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('quotes the comment as text: escaped in HTML, each line quoted in the plain part', () => {
    const mail = renderMail(mention, BASE);
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html).not.toContain('<img');
    expect(mail.text).toContain('> line one\n> <img src=x onerror=alert(1)>');
  });

  it('cuts a long comment to an excerpt', () => {
    const mail = renderMail({ ...mention, body: 'é'.repeat(MAIL_EXCERPT_LENGTH + 50) }, BASE);
    expect(mail.text).toContain(`${'é'.repeat(MAIL_EXCERPT_LENGTH)}…`);
    expect(mail.text).not.toContain('é'.repeat(MAIL_EXCERPT_LENGTH + 1));
  });

  it('links an invitation to its accept page with the token encoded', () => {
    const invitation: InvitationMail = {
      kind: 'invitation',
      to: 'carl@example.test',
      inviterName: 'Ann',
      docId: DOC,
      documentTitle: 'Q3 & Q4 <plan>',
      invitationId: ID,
      role: 'editor',
      token: 'a+b/c=',
      expiresAt: '2030-01-01T00:00:00.000Z',
    };
    const mail = renderMail(invitation, BASE);
    expect(mail.link).toBe(`${BASE}/invite?token=a%2Bb%2Fc%3D`);
    expect(mail.subject).toBe('Ann invited you to Q3 & Q4 <plan>');
    expect(mail.html).toContain('<strong>Q3 &amp; Q4 &lt;plan&gt;</strong> as editor');
    expect(mail.text).toContain('Tue, 01 Jan 2030 00:00:00 GMT');
  });
});
