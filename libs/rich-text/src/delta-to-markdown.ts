import TurndownService from 'turndown';
import { renderDocumentHtml } from './render-document';

/**
 * One converter for the process: Turndown parses with its own DOM
 * (domino in Node) and keeps no state between calls.
 */
const turndown = new TurndownService({
  headingStyle: 'atx',
  bulletListMarker: '-',
  codeBlockStyle: 'fenced',
  emDelimiter: '_',
  strongDelimiter: '**',
  hr: '---',
});

// GitHub-flavoured strikethrough; Markdown has no underline, so <u> keeps only its text.
turndown.addRule('strikethrough', {
  filter: ['s'],
  replacement: (content) => `~~${content}~~`,
});

// deltaToHtml writes code blocks as a bare <pre> (Turndown's own rule wants <pre><code>).
turndown.addRule('preformatted', {
  filter: (node) => node.nodeName === 'PRE',
  replacement: (_content, node) => {
    const code = node.textContent ?? '';
    // A fence longer than any run of backticks inside, so the code cannot close it.
    const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run: string) => run.length));
    const fence = '`'.repeat(longest + 1);
    return `\n\n${fence}\n${code}\n${fence}\n\n`;
  },
});

// Turndown escapes Markdown syntax in text but not "<": a renderer would read
// the text "<script>" as raw HTML. CommonMark's backslash escape keeps it text.
const escapeMarkdown = turndown.escape.bind(turndown);
turndown.escape = (text: string) => escapeMarkdown(text).replace(/</g, '\\<');

// Checklist items (`data-checked` on the <li>) become task-list items.
turndown.addRule('checklistItem', {
  filter: (node) => node.nodeName === 'LI' && node.getAttribute('data-checked') !== null,
  replacement: (content, node) => {
    const checked = node.getAttribute('data-checked') === 'true';
    const text = content.replace(/^\n+/, '').replace(/\n+$/, '').replace(/\n/gm, '\n    ');
    return `- [${checked ? 'x' : ' '}] ${text}\n`;
  },
});

/**
 * The document as Markdown (CommonMark with GitHub's strikethrough and task
 * lists). Converted from the sanitized HTML, so it carries exactly what the
 * HTML export shows and nothing the sanitizer removed (no script, no
 * `javascript:` link); Markdown syntax in the text is escaped by Turndown.
 */
export function deltaToMarkdown(ops: Parameters<typeof renderDocumentHtml>[0]): string {
  const markdown = turndown.turndown(renderDocumentHtml(ops));
  return markdown.length > 0 ? `${markdown}\n` : '';
}
