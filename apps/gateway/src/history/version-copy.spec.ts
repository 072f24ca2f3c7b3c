import { MAX_TITLE_LENGTH } from '@collab/contracts';
import type { StoredDelta } from '@collab/persistence';
import Delta from 'quill-delta';
import { COPY_OP_COMPONENTS, COPY_OP_INSERT_LENGTH, copyOperations, copyTitle } from './version-copy';

const EMPTY = new Delta([{ insert: '\n' }]);
/** The content as a normalized Delta (adjacent inserts with equal formats merged). */
const normal = (content: StoredDelta) => new Delta().compose(new Delta(content as Delta['ops']));

function replay(operations: StoredDelta[]): Delta {
  return operations.reduce((doc, op) => doc.compose(new Delta(op as Delta['ops'])), EMPTY);
}

const inserted = (op: StoredDelta) =>
  op.reduce((n, c) => n + (typeof c.insert === 'string' ? c.insert.length : c.insert ? 1 : 0), 0);

describe('copyOperations', () => {
  it('gives nothing for the empty document', () => {
    expect(copyOperations([{ insert: '\n' }])).toEqual([]);
  });

  it('keeps the final line attributes and the formats, in one operation', () => {
    const content: StoredDelta = [
      { insert: 'Title', attributes: { bold: true } },
      { insert: '\n', attributes: { header: 1 } },
      { insert: { image: 'https://example.com/a.png' } },
      { insert: 'item\n' },
      { insert: 'last' },
      { insert: '\n', attributes: { list: 'bullet' } },
    ];
    const operations = copyOperations(content);
    expect(operations).toHaveLength(1);
    expect(replay(operations)).toEqual(normal(content));
  });

  it('formats the only line of an otherwise empty document', () => {
    const content: StoredDelta = [{ insert: '\n', attributes: { header: 2 } }];
    expect(replay(copyOperations(content))).toEqual(normal(content));
  });

  it('splits a long text into operations within the limits, never inside a surrogate pair', () => {
    // An astral character straddles each insert-length boundary.
    const text = `${'a'.repeat(COPY_OP_INSERT_LENGTH - 1)}😀${'b'.repeat(COPY_OP_INSERT_LENGTH)}😀tail\n`;
    const operations = copyOperations([{ insert: text }]);
    expect(operations.length).toBeGreaterThan(1);
    for (const op of operations) expect(inserted(op)).toBeLessThanOrEqual(COPY_OP_INSERT_LENGTH);
    for (const op of operations)
      for (const c of op)
        if (typeof c.insert === 'string') expect(c.insert).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    expect(replay(operations)).toEqual(normal([{ insert: text }]));
  });

  it('splits a document of many formatted runs by component count', () => {
    const content: StoredDelta = [];
    for (let i = 0; i < COPY_OP_COMPONENTS * 1.5; i++)
      content.push(i % 2 ? { insert: `w${i}`, attributes: { italic: true } } : { insert: `w${i}` });
    content.push({ insert: '\n', attributes: { align: 'center' } });
    const operations = copyOperations(content);
    expect(operations.length).toBe(2);
    for (const op of operations) expect(op.length).toBeLessThanOrEqual(COPY_OP_COMPONENTS);
    expect(replay(operations)).toEqual(normal(content));
  });
});

describe('copyTitle', () => {
  it('names the version, and fits the title limit', () => {
    expect(copyTitle('Plan', 12)).toBe('Plan (version 12)');
    expect(copyTitle('  ', 3)).toBe('Untitled (version 3)');
    const long = copyTitle('x'.repeat(MAX_TITLE_LENGTH), 123456);
    expect(long).toHaveLength(MAX_TITLE_LENGTH);
    expect(long.endsWith(' (version 123456)')).toBe(true);
  });
});
