import { ChunkedDocument, validateOp } from '@collab/ot';
import type Delta from 'quill-delta';

/**
 * The client's copy of the document: the server's content plus this client's
 * pending edits, kept in libs/ot's chunked document so that an edit, local or
 * remote, costs about its own size rather than the document's. Composing
 * into one quill-delta costs a walk and a deep copy of the whole document per
 * keystroke: milliseconds per remote operation on a long, formatted document.
 *
 * An edit is validated against the document before it is applied in place
 * (the chunked document trusts what it is given). One that does not pass
 * (no limits apply here: the server enforces those) is composed the way
 * quill-delta composes it, as before, and is then refused by the server,
 * which the caller hears about through the SDK's `refused` event (the edit is then taken out).
 */
export class LocalDocument {
  private doc: ChunkedDocument;

  private constructor(doc: ChunkedDocument) {
    this.doc = doc;
  }

  /** A document from its ops (inserts only: content from a join, a replica or a catch-up); [] is empty. */
  static of(ops: Delta['ops']): LocalDocument {
    return new LocalDocument(fromInserts(ops));
  }

  /** Applies a change (an edit of this document) in place. */
  apply(change: Delta): void {
    const checked = validateOp(change, this.doc, UNLIMITED);
    if (checked.ok) this.doc.apply(checked.value);
    else this.doc = fromInserts(this.doc.toDelta().compose(change).ops);
  }

  /** The document as a quill-delta (a fresh copy). */
  toDelta(): Delta {
    return this.doc.toDelta();
  }

  /** The document's text; an embed counts as nothing. */
  text(): string {
    let text = '';
    for (const op of this.doc.toDelta().ops) if (typeof op.insert === 'string') text += op.insert;
    return text;
  }

  /** Length in quill-delta units (an embed is 1). */
  get length(): number {
    return this.doc.length;
  }
}

const UNLIMITED = {
  maxComponents: Number.MAX_SAFE_INTEGER,
  maxInsertLength: Number.MAX_SAFE_INTEGER,
  maxDocumentLength: Number.MAX_SAFE_INTEGER,
};

/** The inserts of `ops` as a document (compose keeps only inserts for a document; this makes sure). */
function fromInserts(ops: Delta['ops']): ChunkedDocument {
  return ChunkedDocument.fromDelta(ops.filter((op) => op.insert !== undefined));
}
