import { Fragment, Slice } from '@tiptap/pm/model';
import Delta from 'quill-delta';
import { docOf, schema } from '../../test/editor-fixture';
import { docToDelta } from '../convert/doc-to-delta';
import { normalizePastedLinks, splitNewlinesInSlice } from './paste-lines';

describe('splitNewlinesInSlice', () => {
  it('splits a pasted code line on its newlines, keeping its formats and marks', () => {
    const line = schema.nodes.line.create({ 'code-block': true }, [
      schema.text('a\nb', [schema.marks.bold.create()]),
    ]);
    const slice = splitNewlinesInSlice(new Slice(Fragment.from(line), 0, 0), schema);
    const doc = schema.topNodeType.create(null, slice.content);
    expect(docToDelta(doc)).toEqual(
      new Delta()
        .insert('a', { bold: true })
        .insert('\n', { 'code-block': true })
        .insert('b', { bold: true })
        .insert('\n', { 'code-block': true }),
    );
  });

  it('wraps inline text with newlines into open lines, and leaves clean slices alone', () => {
    const slice = splitNewlinesInSlice(new Slice(Fragment.from(schema.text('x\ny')), 0, 0), schema);
    expect([slice.openStart, slice.openEnd, slice.content.childCount]).toEqual([1, 1, 2]);
    const clean = docOf(new Delta().insert('abc\n')).slice(1, 3);
    expect(splitNewlinesInSlice(clean, schema)).toBe(clean);
  });
});

describe('normalizePastedLinks', () => {
  it('keeps only the href of pasted links', () => {
    const mark = schema.marks.link.create({ href: 'https://example.com/', title: 'tip', target: null });
    const slice = new Slice(Fragment.from(schema.nodes.line.create(null, [schema.text('x', [mark])])), 1, 1);
    const out = normalizePastedLinks(slice, schema);
    const cleaned = out.content.firstChild!.firstChild!.marks[0];
    expect(cleaned.eq(schema.marks.link.create({ href: 'https://example.com/' }))).toBe(true);
    const plain = new Slice(Fragment.from(schema.text('y')), 0, 0);
    expect(normalizePastedLinks(plain, schema)).toBe(plain);
  });
});
