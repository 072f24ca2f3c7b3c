/** A member who can be mentioned. */
export interface Mentionable {
  readonly userId: string;
  readonly name: string;
}

/** Longest text after "@" that is still taken as the start of a name. */
const MAX_QUERY = 40;

/**
 * The "@..." being typed just before `caret`, if any: where its "@" is and
 * what follows it. An "@" counts only at the start or after white space (so
 * an e-mail address is not a mention), and the query spans one line.
 */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0 || caret - at - 1 > MAX_QUERY) return null;
  if (at > 0 && !/\s/.test(before[at - 1])) return null;
  const query = before.slice(at + 1);
  if (/[\n\r@]/.test(query) || /\s\s/.test(query) || query.startsWith(' ')) return null;
  return { start: at, query };
}

/** Members whose name, or a word of it, starts with `query` (case-insensitive), at most `limit`. */
export function mentionSuggestions<M extends Mentionable>(
  members: readonly M[],
  query: string,
  limit = 6,
): M[] {
  const q = query.toLocaleLowerCase();
  const matches = (name: string) => {
    const lower = name.toLocaleLowerCase();
    return lower.startsWith(q) || lower.split(/\s+/).some((word) => word.startsWith(q));
  };
  return members.filter((m) => matches(m.name)).slice(0, limit);
}

/** `text` with the query at `start..caret` replaced by "@name ", and where the caret goes. */
export function insertMention(
  text: string,
  start: number,
  caret: number,
  name: string,
): { text: string; caret: number } {
  const inserted = `@${name} `;
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}

/** One piece of a comment body: plain text, or a mention of `userId`. */
export type BodyPart = { readonly text: string; readonly userId?: string };

/**
 * A body cut into text and mentions. At each "@" (at the start or after
 * white space) the longest member name that follows, ending at a word's
 * end, is the mention: "@Ada Lovelace" is one person even when "Ada" is
 * another member's name.
 */
export function splitMentions(body: string, members: readonly Mentionable[]): BodyPart[] {
  const byLength = [...members].sort((a, b) => b.name.length - a.name.length);
  const parts: BodyPart[] = [];
  let textStart = 0;
  for (let i = body.indexOf('@'); i >= 0; i = body.indexOf('@', i + 1)) {
    if (i > 0 && !/\s/.test(body[i - 1])) continue;
    const rest = body.slice(i + 1).toLocaleLowerCase();
    const member = byLength.find((m) => {
      const name = m.name.toLocaleLowerCase();
      return rest.startsWith(name) && !/[\p{L}\p{N}_]/u.test(rest.charAt(name.length));
    });
    if (!member) continue;
    if (i > textStart) parts.push({ text: body.slice(textStart, i) });
    const end = i + 1 + member.name.length;
    parts.push({ text: body.slice(i, end), userId: member.userId });
    textStart = end;
    i = end - 1;
  }
  if (textStart < body.length) parts.push({ text: body.slice(textStart) });
  return parts;
}

/** The distinct members a body mentions, except `authorId` (nobody is told of their own comment). */
export function mentionedUserIds(body: string, members: readonly Mentionable[], authorId?: string): string[] {
  const ids = splitMentions(body, members).flatMap((part) => (part.userId ? [part.userId] : []));
  return [...new Set(ids)].filter((id) => id !== authorId);
}
