/**
 * Renders a document Delta (inserts only, each line ending in a "\n" that
 * carries the line's block attributes) as HTML. Every piece of text and every
 * attribute value is escaped here, and links and images keep only the schemes
 * below; the result still goes through `sanitizeHtml` (defence in depth: a
 * bad operation that got into the log must not become script in a browser).
 */

interface DocOp {
  insert?: unknown;
  attributes?: Record<string, unknown>;
}

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_SCHEMES = new Set(['http:', 'https:']);
const ALIGNS = new Set(['center', 'right', 'justify']);

/** Text as HTML text or attribute value: &, <, >, " and ' escaped. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The URL if it parses as absolute with one of `schemes`, else undefined. */
function safeUrl(value: unknown, schemes: ReadonlySet<string>): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value.trim());
    return schemes.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function renderInline(text: string, attributes: Record<string, unknown> | undefined): string {
  let html = escapeHtml(text);
  if (!attributes) return html;
  if (attributes['code'] === true) html = `<code>${html}</code>`;
  if (attributes['strike'] === true) html = `<s>${html}</s>`;
  if (attributes['underline'] === true) html = `<u>${html}</u>`;
  if (attributes['italic'] === true) html = `<em>${html}</em>`;
  if (attributes['bold'] === true) html = `<strong>${html}</strong>`;
  const href = safeUrl(attributes['link'], LINK_SCHEMES);
  if (href !== undefined) html = `<a href="${escapeHtml(href)}">${html}</a>`;
  return html;
}

function renderEmbed(embed: Record<string, unknown>): string {
  if ('image' in embed) {
    const src = safeUrl(embed['image'], IMAGE_SCHEMES);
    return src === undefined ? '' : `<img src="${escapeHtml(src)}" alt="">`;
  }
  if (embed['divider'] === true) return '<hr>';
  return '';
}

interface Line {
  html: string;
  /** Code-block lines keep their raw text: a <pre> holds plain text. */
  text: string;
  attributes: Record<string, unknown>;
}

function splitLines(ops: readonly DocOp[]): Line[] {
  const lines: Line[] = [];
  let html = '';
  let text = '';
  for (const op of ops) {
    const insert = op.insert;
    if (typeof insert === 'string') {
      const parts = insert.split('\n');
      parts.forEach((part, i) => {
        if (i > 0) {
          lines.push({ html, text, attributes: op.attributes ?? {} });
          html = '';
          text = '';
        }
        if (part.length > 0) {
          html += renderInline(part, op.attributes);
          text += part;
        }
      });
    } else if (insert !== null && typeof insert === 'object') {
      html += renderEmbed(insert as Record<string, unknown>);
    }
  }
  // A well-formed document ends in "\n"; keep trailing text of a malformed one anyway.
  if (html.length > 0) lines.push({ html, text, attributes: {} });
  return lines;
}

function classesOf(attributes: Record<string, unknown>): string[] {
  const classes: string[] = [];
  const align = attributes['align'];
  if (typeof align === 'string' && ALIGNS.has(align)) classes.push(`ql-align-${align}`);
  const indent = attributes['indent'];
  if (typeof indent === 'number' && Number.isInteger(indent) && indent >= 1 && indent <= 8) {
    classes.push(`ql-indent-${indent}`);
  }
  return classes;
}

function open(tag: string, attributes: Record<string, unknown>, extra = ''): string {
  const classes = classesOf(attributes);
  return `<${tag}${classes.length > 0 ? ` class="${classes.join(' ')}"` : ''}${extra}>`;
}

type ListKind = 'ul' | 'ol';

function listKind(value: unknown): ListKind | undefined {
  switch (value) {
    case 'ordered':
      return 'ol';
    case 'bullet':
    case 'checked':
    case 'unchecked':
      return 'ul';
    default:
      return undefined;
  }
}

/** The document as HTML: one element per line, consecutive list items and code lines grouped. */
export function deltaToHtml(ops: readonly DocOp[]): string {
  const out: string[] = [];
  const lines = splitLines(ops);
  for (let i = 0; i < lines.length;) {
    const { attributes } = lines[i];
    const kind = listKind(attributes['list']);
    if (kind !== undefined) {
      out.push(`<${kind}>`);
      while (i < lines.length && listKind(lines[i].attributes['list']) === kind) {
        const line = lines[i];
        const list = line.attributes['list'];
        const checked =
          list === 'checked' || list === 'unchecked' ? ` data-checked="${list === 'checked'}"` : '';
        out.push(`${open('li', line.attributes, checked)}${line.html || '<br>'}</li>`);
        i++;
      }
      out.push(`</${kind}>`);
      continue;
    }
    if (attributes['code-block'] !== undefined && attributes['code-block'] !== false) {
      const code: string[] = [];
      while (i < lines.length && lines[i].attributes['code-block'] !== undefined) {
        code.push(escapeHtml(lines[i].text));
        i++;
      }
      out.push(`${open('pre', attributes)}${code.join('\n')}</pre>`);
      continue;
    }
    const header = attributes['header'];
    const tag =
      typeof header === 'number' && Number.isInteger(header) && header >= 1 && header <= 6
        ? `h${header}`
        : attributes['blockquote'] === true
          ? 'blockquote'
          : 'p';
    out.push(`${open(tag, attributes)}${lines[i].html || '<br>'}</${tag}>`);
    i++;
  }
  return out.join('');
}
