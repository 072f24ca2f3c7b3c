import type { InvitationMail, MailJobData, MentionMail } from '@collab/contracts';
import { escapeHtml } from '@collab/rich-text';

/** One mail, ready for a transport: a plain-text and an HTML part. */
export interface RenderedMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The link the mail leads to (also inside both parts). */
  readonly link: string;
}

/** Longest excerpt of a comment quoted in a mention mail. */
export const MAIL_EXCERPT_LENGTH = 500;

/**
 * Renders a mail job's payload. Every piece of user content (names, title,
 * comment text) is plain text: in the HTML part it is escaped, so a comment
 * saying `<script>` shows those characters and runs nothing. Links are
 * built from `publicAppUrl` (validated at boot) and the web app's routes:
 * `/d/:docId?thread=:threadId` opens the document at the thread,
 * `/invite?token=...` accepts an invitation.
 */
export function renderMail(mail: MailJobData, publicAppUrl: string): RenderedMail {
  switch (mail.kind) {
    case 'mention':
      return renderMention(mail, publicAppUrl);
    case 'invitation':
      return renderInvitation(mail, publicAppUrl);
  }
}

function renderMention(mail: MentionMail, base: string): RenderedMail {
  const link = `${base}/d/${encodeURIComponent(mail.docId)}?thread=${encodeURIComponent(mail.threadId)}`;
  const title = titleOf(mail.documentTitle);
  const excerpt = excerptOf(mail.body);
  const subject = singleLine(`${mail.actorName} mentioned you in ${title}`);
  const text = [
    `Hi ${mail.recipientName},`,
    '',
    `${mail.actorName} mentioned you in a comment on "${title}":`,
    '',
    ...excerpt.split('\n').map((line) => `> ${line}`),
    '',
    `Open the discussion: ${link}`,
    '',
  ].join('\n');
  const html = page(
    `<p>Hi ${escapeHtml(mail.recipientName)},</p>
<p>${escapeHtml(mail.actorName)} mentioned you in a comment on <strong>${escapeHtml(title)}</strong>:</p>
<blockquote style="white-space:pre-wrap">${escapeHtml(excerpt)}</blockquote>
<p><a href="${escapeHtml(link)}">Open the discussion</a></p>`,
  );
  return { to: mail.to, subject, text, html, link };
}

function renderInvitation(mail: InvitationMail, base: string): RenderedMail {
  const link = `${base}/invite?token=${encodeURIComponent(mail.token)}`;
  const title = titleOf(mail.documentTitle);
  const expires = new Date(mail.expiresAt).toUTCString();
  const subject = singleLine(`${mail.inviterName} invited you to ${title}`);
  const text = [
    `${mail.inviterName} invited you to "${title}" as ${mail.role}.`,
    '',
    `Accept the invitation: ${link}`,
    '',
    `The link works once and until ${expires}. Sign in or sign up with this address (${mail.to}) to accept it.`,
    '',
  ].join('\n');
  const html = page(
    `<p>${escapeHtml(mail.inviterName)} invited you to <strong>${escapeHtml(title)}</strong> as ${escapeHtml(mail.role)}.</p>
<p><a href="${escapeHtml(link)}">Accept the invitation</a></p>
<p>The link works once and until ${escapeHtml(expires)}. Sign in or sign up with this address (${escapeHtml(mail.to)}) to accept it.</p>`,
  );
  return { to: mail.to, subject, text, html, link };
}

function page(body: string): string {
  return `<!doctype html>\n<html><body style="font-family:sans-serif">\n${body}\n</body></html>\n`;
}

function titleOf(title: string): string {
  return title.trim() === '' ? 'Untitled' : title;
}

function excerptOf(body: string): string {
  const chars = [...body];
  return chars.length <= MAIL_EXCERPT_LENGTH ? body : `${chars.slice(0, MAIL_EXCERPT_LENGTH).join('')}…`;
}

/** A subject is one header line: names and titles never carry a line break into it. */
function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
