import Delta from 'quill-delta';
import { getSchema } from '@tiptap/core';
import { collabExtensions } from '../schema/collab-extensions';
import { stateOf } from '../../test/editor-fixture';
import { localChangeOf } from './local-change';
import { BindingErrorCode } from '../binding-errors';

describe('localChangeOf', () => {
  it('refuses a "\\n" inside text, and the sync plugin filters the transaction out', () => {
    const state = stateOf(new Delta().insert('ab\n'));
    const tr = state.tr.insertText('x\ny', 1);
    const result = localChangeOf(tr);
    expect(result.ok ? 'ok' : result.code).toBe(BindingErrorCode.UNMAPPABLE_EDIT);
    expect(state.applyTransaction(tr).transactions).toHaveLength(0);
  });

  it('refuses a link the server would refuse', () => {
    const state = stateOf(new Delta().insert('ab\n'));
    const tr = state.tr.addMark(1, 3, state.schema.marks.link.create({ href: 'javascript:alert(1)' }));
    const result = localChangeOf(tr);
    expect(result.ok ? 'ok' : result.code).toBe('INVALID_ATTRIBUTES');
    expect(state.applyTransaction(tr).transactions).toHaveLength(0);
  });

  it('refuses cutting an emoji in half', () => {
    const state = stateOf(new Delta().insert('a😀b\n'));
    const result = localChangeOf(state.tr.delete(2, 3));
    expect(result.ok ? 'ok' : result.code).toBe(BindingErrorCode.UNMAPPABLE_EDIT);
  });

  it('reports selection-only transactions as no change', () => {
    const state = stateOf(new Delta().insert('ab\n'));
    expect(localChangeOf(state.tr.setMeta('x', 1))).toEqual({ ok: true, value: null });
  });
});

describe('the schema', () => {
  it('holds exactly the libs/ot formats', () => {
    const schema = getSchema(collabExtensions());
    expect(Object.keys(schema.nodes).sort()).toEqual(['divider', 'doc', 'image', 'line', 'text']);
    expect(Object.keys(schema.marks).sort()).toEqual([
      'bold',
      'code',
      'italic',
      'link',
      'strike',
      'underline',
    ]);
    expect(Object.keys(schema.nodes.line.spec.attrs ?? {}).sort()).toEqual(
      ['blockquote', 'code-block', 'header', 'indent', 'list', 'newlineMarks', 'textAlign'].sort(),
    );
    // Code combines with other marks, as a Delta may.
    expect(schema.marks.code.excludes(schema.marks.bold)).toBe(false);
  });
});
