/**
 * quill-delta's behaviour outside the OT laws the system relies on, pinned so
 * that a change in quill-delta is noticed and nobody relies on it by accident:
 * transforming against a composition (counterexamples the property tests
 * found), and operations validateOp refuses. The laws themselves are checked
 * in transform.table.spec.ts and ot-laws.property.spec.ts.
 */
import Delta from 'quill-delta';

const text = (s: string, attributes?: Record<string, unknown>) => new Delta().insert(s, attributes);
const bold = { bold: true };
const italic = { italic: true };

/**
 * quill-delta does not satisfy "(a∘b).transform(c, p) = b.transform(a.transform(c, p), p)"
 * once a deletion brings c's insertion point next to an insert of a or b: the
 * composed route sees a tie the stepwise route does not (or the reverse). Both
 * routes keep the same characters; only their order differs. These pin the
 * behaviour (found by ot-laws.property.spec.ts) so a change in quill-delta is
 * noticed. Consequence: transform against committed operations one at a time,
 * never against their composition (the server and OtClient both do).
 */
describe('transform against a composition differs from step by step (fixed counterexamples)', () => {
  function routes(
    doc: Delta,
    a: Delta,
    b: Delta,
    c: Delta,
    p: boolean,
  ): { composed: Delta; stepwise: Delta } {
    const ab = a.compose(b);
    return {
      composed: doc.compose(ab).compose(ab.transform(c, p)),
      stepwise: doc
        .compose(a)
        .compose(b)
        .compose(b.transform(a.transform(c, p), p)),
    };
  }

  it('p = false: a deletes "x", b inserts "y" where "x" was, c inserts "z" just after "x"', () => {
    const doc = text('AxB\n');
    const a = new Delta().retain(1).delete(1); // "AB\n"
    const b = new Delta().retain(1).insert('y'); // "AyB\n"
    const c = new Delta().retain(2).insert('z'); // "AxzB\n", concurrent with a
    // Composed: a∘b = retain 1, insert y, delete 1: y sits at index 1, c's
    // point (2) is after it, no tie. Stepwise: a moves c's point to 1, where
    // b inserts: a tie, which c wins without priority.
    expect(routes(doc, a, b, c, false)).toEqual({ composed: text('AyzB\n'), stepwise: text('AzyB\n') });
    expect(routes(doc, a, b, c, true)).toEqual({ composed: text('AyzB\n'), stepwise: text('AyzB\n') });
  });

  it('p = true: a inserts "X" after "a", b deletes "a", c inserts "Z" before "a"', () => {
    const doc = text('ab\n');
    const a = new Delta().retain(1).insert('X'); // "aXb\n"
    const b = new Delta().delete(1); // "Xb\n"
    const c = new Delta().insert('Z'); // "Zab\n", concurrent with a
    // Composed: a∘b = insert X, delete 1: X now ties with c at index 0 and
    // wins with priority. Stepwise: X and Z are at different indexes when
    // transformed against a, so Z stays in front.
    expect(routes(doc, a, b, c, true)).toEqual({ composed: text('XZb\n'), stepwise: text('ZXb\n') });
    expect(routes(doc, a, b, c, false)).toEqual({ composed: text('ZXb\n'), stepwise: text('ZXb\n') });
  });

  it('shrunk from a property run (seed 652098323): an embed inserted at 0 against insert-then-delete', () => {
    const doc = new Delta()
      .insert('𝄞')
      .insert(' 👩‍💻', italic)
      .insert('\n🇫🇷😀é 中é')
      .insert('\n', { header: 1 });
    const a = new Delta().retain(5).insert('  7').retain(3).delete(7);
    const b = new Delta().insert('\n', { header: 1 }).delete(5);
    const c = new Delta().insert({ divider: true }, { strike: true });
    const { composed, stepwise } = routes(doc, a, b, c, true);
    expect(composed.slice(0, 5)).toEqual(
      new Delta().insert('\n', { header: 1 }).insert('  7').insert({ divider: true }, { strike: true }),
    );
    expect(stepwise.slice(0, 5)).toEqual(
      new Delta().insert('\n', { header: 1 }).insert({ divider: true }, { strike: true }).insert('  7'),
    );
  });
});

/**
 * Inputs outside the format contract (validateOp rejects them) and what
 * quill-delta does with them, so nobody relies on it.
 */
describe('quill-delta on invalid inputs', () => {
  it('drops attributes on a delete (compose and transform)', () => {
    const del = new Delta([{ delete: 1, attributes: { bold: true } }]);
    expect(text('ab\n').compose(del)).toEqual(text('b\n'));
    expect(new Delta().retain(1, italic).transform(del, true)).toEqual(new Delta().delete(1));
  });

  it('keeps null attributes of an insert in the document (a retain null is removed on compose)', () => {
    expect(text('abc\n').compose(new Delta().insert('x', { bold: null }))).toEqual(
      new Delta([{ insert: 'x', attributes: { bold: null } }, { insert: 'abc\n' }]),
    );
    expect(
      text('x', bold)
        .insert('\n')
        .compose(new Delta().retain(1, { bold: null })),
    ).toEqual(text('x\n'));
  });
});
