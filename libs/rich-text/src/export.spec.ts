import { deltaToHtmlDocument } from './delta-to-html-document';
import { deltaToMarkdown } from './delta-to-markdown';
import { deltaToText } from './delta-to-text';

const document = [
  { insert: 'Title' },
  { insert: '\n', attributes: { header: 1 } },
  { insert: 'Some ' },
  { insert: 'bold', attributes: { bold: true } },
  { insert: ', ' },
  { insert: 'italic', attributes: { italic: true } },
  { insert: ', ' },
  { insert: 'gone', attributes: { strike: true } },
  { insert: ' and a ' },
  { insert: 'link', attributes: { link: 'https://example.com/a?b=1' } },
  { insert: '.\nSub' },
  { insert: '\n', attributes: { header: 2 } },
  { insert: 'one' },
  { insert: '\n', attributes: { list: 'bullet' } },
  { insert: 'two' },
  { insert: '\n', attributes: { list: 'bullet' } },
  { insert: 'first' },
  { insert: '\n', attributes: { list: 'ordered' } },
  { insert: 'second' },
  { insert: '\n', attributes: { list: 'ordered' } },
  { insert: 'done' },
  { insert: '\n', attributes: { list: 'checked' } },
  { insert: 'x < 1 *not emphasis*' },
  { insert: '\n', attributes: { 'code-block': true } },
  { insert: '# not a heading *or emphasis*\n' },
];

describe('deltaToMarkdown', () => {
  it('renders headings, inline formats, links, lists, checklists and code blocks', () => {
    expect(deltaToMarkdown(document)).toBe(
      [
        '# Title',
        '',
        'Some **bold**, _italic_, ~~gone~~ and a [link](https://example.com/a?b=1).',
        '',
        '## Sub',
        '',
        '-   one',
        '-   two',
        '',
        '1.  first',
        '2.  second',
        '',
        '- [x] done',
        '',
        '```',
        'x < 1 *not emphasis*',
        '```',
        '',
        '\\# not a heading \\*or emphasis\\*',
        '',
      ].join('\n'),
    );
  });

  it('keeps nothing the sanitizer removes: script, event handlers, javascript: links', () => {
    const markdown = deltaToMarkdown([
      { insert: '<script>alert(1)</script> <img src=x onerror=alert(1)>' },
      { insert: 'click', attributes: { link: 'javascript:alert(1)' } },
      { insert: '\n' },
    ]);
    expect(markdown).not.toMatch(/javascript:/i);
    // The text stays text: every "<" is escaped, so no Markdown renderer reads a tag.
    expect(markdown).not.toMatch(/(^|[^\\])</);
    expect(markdown).toBe('\\<script>alert(1)\\</script> \\<img src=x onerror=alert(1)>click\n');
  });
});

describe('deltaToText', () => {
  it('keeps the text and line breaks, drops embeds', () => {
    expect(
      deltaToText([{ insert: 'a' }, { insert: { image: 'https://x.test/i.png' } }, { insert: 'b\nc\n' }]),
    ).toBe('ab\nc\n');
  });
});

describe('deltaToHtmlDocument', () => {
  it('is a UTF-8 page with the escaped title and the sanitized body', () => {
    const page = deltaToHtmlDocument('<b>Plan</b> & "notes"', [
      { insert: 'x', attributes: { link: 'javascript:alert(1)' } },
      { insert: '<script>alert(1)</script>\n' },
    ]);
    expect(page).toBe(
      '<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n' +
        '<title>&lt;b&gt;Plan&lt;/b&gt; &amp; &quot;notes&quot;</title>\n</head>\n<body>\n' +
        '<p>x&lt;script&gt;alert(1)&lt;/script&gt;</p>\n</body>\n</html>\n',
    );
  });
});
