import { deltaToHtml } from './delta-to-html';
import { renderDocumentHtml } from './render-document';
import { sanitizeHtml } from './sanitize';

describe('renderDocumentHtml', () => {
  it.each([
    ['paragraphs', [{ insert: 'a\nb\n' }], '<p>a</p><p>b</p>'],
    ['an empty line', [{ insert: '\n' }], '<p><br /></p>'],
    ['headers', [{ insert: 'T' }, { insert: '\n', attributes: { header: 2 } }], '<h2>T</h2>'],
    [
      'inline formats',
      [
        { insert: 'b', attributes: { bold: true, italic: true } },
        { insert: 'u', attributes: { underline: true, strike: true } },
        { insert: 'c', attributes: { code: true } },
        { insert: 'l', attributes: { link: 'https://example.com/x?a=1&b=2' } },
        { insert: '\n' },
      ],
      '<p><strong><em>b</em></strong><u><s>u</s></u><code>c</code><a href="https://example.com/x?a=1&amp;b=2">l</a></p>',
    ],
    [
      'grouped lists',
      [
        { insert: 'a' },
        { insert: '\n', attributes: { list: 'bullet' } },
        { insert: 'b' },
        { insert: '\n', attributes: { list: 'bullet', indent: 1 } },
        { insert: 'c' },
        { insert: '\n', attributes: { list: 'ordered' } },
        { insert: 'd' },
        { insert: '\n', attributes: { list: 'checked' } },
        { insert: 'e' },
        { insert: '\n', attributes: { list: 'unchecked' } },
      ],
      '<ul><li>a</li><li class="ql-indent-1">b</li></ul><ol><li>c</li></ol>' +
        '<ul><li data-checked="true">d</li><li data-checked="false">e</li></ul>',
    ],
    [
      'blockquote, code block and alignment',
      [
        { insert: 'q' },
        { insert: '\n', attributes: { blockquote: true } },
        { insert: 'x < 1' },
        { insert: '\n', attributes: { 'code-block': true } },
        { insert: 'y' },
        { insert: '\n', attributes: { 'code-block': true } },
        { insert: 'mid' },
        { insert: '\n', attributes: { align: 'center' } },
      ],
      '<blockquote>q</blockquote><pre>x &lt; 1\ny</pre><p class="ql-align-center">mid</p>',
    ],
    [
      'embeds',
      [{ insert: { image: 'https://img.test/a.png' } }, { insert: { divider: true } }, { insert: '\n' }],
      // A divider cannot sit inside a paragraph: the sanitizer's HTML parser closes the paragraph around it.
      '<p><img src="https://img.test/a.png" alt="" /></p><hr /><p></p>',
    ],
  ])('renders %s', (_name, ops, html) => {
    expect(renderDocumentHtml(ops)).toBe(html);
  });

  const hostile = [
    { insert: '<script>alert(1)</script>' },
    { insert: '" onmouseover="x', attributes: { bold: true } },
    { insert: 'bad', attributes: { link: 'javascript:alert(1)' } },
    { insert: 'bad2', attributes: { link: ' JaVaScRiPt:alert(1)' } },
    { insert: 'bad3', attributes: { link: '//evil.test/x' } },
    { insert: { image: 'javascript:alert(1)' } },
    { insert: '\n', attributes: { align: '" style="color:red', header: 7 } },
  ];

  it('escapes text and drops unsafe links, images and attribute values', () => {
    for (const html of [deltaToHtml(hostile), renderDocumentHtml(hostile)]) {
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<[^>]*\son[a-z]+=/i);
      expect(html).not.toMatch(/<[^>]*style=/i);
      expect(html).not.toMatch(/javascript:/i);
      expect(html).not.toContain('evil.test');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('the sanitizer strips what a renderer bug could let through', () => {
    const dirty =
      '<p style="color:red" onclick="x()">a<script>alert(1)</script><a href="javascript:alert(1)">l</a>' +
      '<a href="mailto:a@b.test">m</a><img src="x" onerror="y"><iframe src="https://x.test"></iframe></p>' +
      '<p class="ql-align-center evil">c</p>';
    const clean = sanitizeHtml(dirty);
    expect(clean).toBe(
      '<p>a<a>l</a><a href="mailto:a@b.test">m</a><img src="x" /></p><p class="ql-align-center">c</p>',
    );
  });
});
