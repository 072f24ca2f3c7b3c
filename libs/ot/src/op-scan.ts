import Delta, { type Op } from 'quill-delta';
import {
  attributesEqual,
  checkAttributes,
  checkEmbed,
  hasLoneSurrogate,
  isPlainObject,
  type AttributeValue,
} from './attributes';
import { OtErrorCode, otError, type OtResult } from './errors';
import { type OpLimits } from './limits';
import { type ChunkedDocument } from './chunked-document';

/*
 * The checking pass behind parseOp, validateOp and validateDocument (their
 * guard, which turns a throw into INVALID_OP, is in validate-op.ts).
 *
 * Validation reads untrusted input (JSON from a client) exactly once, into
 * fresh objects, and checks those: a getter or proxy cannot show one value to
 * the check and another to the document.
 *
 * Operations are checked component by component in their given order, with
 * the sequential meaning quill-delta's compose gives them: an insert adds text
 * at the current position, a retain or delete moves over (and keeps or drops)
 * characters of the old document. Positions in messages are positions in the
 * old document; component indexes are indexes in the input.
 *
 * `scan` is one pass whose checks share its running state (position, counts,
 * what produced the last character), and it runs for every submitted
 * operation: what it calls per component stays in this file, since the
 * CommonJS build reads an import, or an exported const, through `exports`.
 */

const DOCUMENT_MODE = 0;
const OP_MODE = 1;
/** What `scan` checks: a whole document, or an operation (against a document when one is given). */
export const ScanMode = { document: DOCUMENT_MODE, op: OP_MODE } as const;
type ScanMode = (typeof ScanMode)[keyof typeof ScanMode];

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function isAllNewlines(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== 10) return false;
  return true;
}

/**
 * Appends a component the way `Delta#push` does (merge equal neighbours, put an
 * insert before a delete at the same position) without its deep clone: `op`
 * is a fresh object owned by the caller's output.
 */
function pushNormalized(out: Op[], op: Op): void {
  let index = out.length;
  let last = out[index - 1];
  if (last !== undefined) {
    if (op.delete !== undefined && last.delete !== undefined) {
      last.delete += op.delete;
      return;
    }
    if (last.delete !== undefined && op.insert !== undefined) {
      index -= 1;
      last = out[index - 1];
      if (last === undefined) {
        out.unshift(op);
        return;
      }
    }
    if (attributesEqual(op.attributes as never, last.attributes as never)) {
      if (typeof op.insert === 'string' && typeof last.insert === 'string') {
        last.insert += op.insert;
        return;
      }
      if (typeof op.retain === 'number' && typeof last.retain === 'number') {
        last.retain += op.retain;
        return;
      }
    }
  }
  if (index === out.length) out.push(op);
  else out.splice(index, 0, op);
}

/**
 * The component list of an array, `{ ops: [...] }` or a Delta. Any object
 * whose only own key is `ops` qualifies (a Delta from another copy of
 * quill-delta is not `instanceof` this one); only that own value is read.
 */
function readComponents(input: unknown): unknown[] | undefined {
  if (Array.isArray(input)) return input;
  if (typeof input !== 'object' || input === null) return undefined;
  const keys = Object.keys(input);
  if (keys.length !== 1 || keys[0] !== 'ops') return undefined;
  const ops: unknown = (input as { ops: unknown }).ops;
  return Array.isArray(ops) ? ops : undefined;
}

/** The pass itself. `doc` is null for a check that looks at no document (parseOp, validateDocument). */
export function scan(
  input: unknown,
  doc: ChunkedDocument | null,
  limits: OpLimits,
  mode: ScanMode,
): OtResult<Delta> {
  const components = readComponents(input);
  if (components === undefined) {
    return otError(OtErrorCode.INVALID_OP, 'an operation must be an array of components or { ops: [...] }');
  }
  const count = components.length;
  if (mode === OP_MODE && count > limits.maxComponents) {
    return otError(OtErrorCode.OP_TOO_LARGE, `${count} components, the limit is ${limits.maxComponents}`);
  }
  const docLength = doc === null ? 0 : doc.length;
  const out: Op[] = [];
  let pos = 0; // position in the old document
  let inserted = 0;
  let deleted = 0;
  // What produced the last character of the result so far: see the final newline check.
  let lastKind = 0; // 0 nothing, 1 insert, 2 retain
  let lastInsertEndsInNewline = false;
  let lastRetainEnd = 0;

  for (let i = 0; i < count; i++) {
    const component: unknown = components[i];
    if (!isPlainObject(component)) {
      return otError(OtErrorCode.INVALID_OP, `component ${i}: not a plain object`);
    }
    const keys = Object.keys(component);
    let kinds = 0;
    let kind = 0; // 1 insert, 2 retain, 3 delete
    let insert: unknown;
    let retain: unknown;
    let remove: unknown;
    let rawAttributes: unknown;
    let hasAttributes = false;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      switch (key) {
        case 'insert':
          insert = component.insert;
          kind = 1;
          kinds++;
          break;
        case 'retain':
          if (mode === DOCUMENT_MODE)
            return otError(OtErrorCode.INVALID_OP, `component ${i}: a document holds inserts only`);
          retain = component.retain;
          kind = 2;
          kinds++;
          break;
        case 'delete':
          if (mode === DOCUMENT_MODE)
            return otError(OtErrorCode.INVALID_OP, `component ${i}: a document holds inserts only`);
          remove = component.delete;
          kind = 3;
          kinds++;
          break;
        case 'attributes':
          rawAttributes = component.attributes;
          hasAttributes = true;
          break;
        default:
          return otError(OtErrorCode.INVALID_OP, `component ${i}: unknown key "${key.slice(0, 40)}"`);
      }
    }
    if (kinds !== 1) {
      return otError(OtErrorCode.INVALID_OP, `component ${i}: needs exactly one of insert, retain, delete`);
    }

    let attributes: Record<string, AttributeValue | null> | undefined;
    let setsBlock = false;
    if (hasAttributes) {
      if (kind === 3) return otError(OtErrorCode.INVALID_OP, `component ${i}: a delete takes no attributes`);
      const checked = checkAttributes(rawAttributes, kind === 2);
      if (!checked.ok) return otError(OtErrorCode.INVALID_ATTRIBUTES, `component ${i}: ${checked.message}`);
      attributes = checked.attributes;
      setsBlock = checked.setsBlock;
    }

    if (kind === 1) {
      let length: number;
      let op: Op;
      if (typeof insert === 'string') {
        length = insert.length;
        if (length === 0) return otError(OtErrorCode.INVALID_OP, `component ${i}: empty insert`);
        // Size first, so an oversized insert is refused before it is scanned.
        if (mode === OP_MODE && inserted + length > limits.maxInsertLength) {
          return otError(
            OtErrorCode.OP_TOO_LARGE,
            `component ${i}: more than ${limits.maxInsertLength} characters inserted`,
          );
        }
        if (hasLoneSurrogate(insert)) {
          return otError(OtErrorCode.INVALID_TEXT, `component ${i}: the inserted text has a lone surrogate`);
        }
        // U+0000 has no place in rich text, and PostgreSQL's jsonb (where operations are stored) refuses it.
        if (insert.includes('\u0000')) {
          return otError(OtErrorCode.INVALID_TEXT, `component ${i}: the inserted text holds a NUL character`);
        }
        if (setsBlock && !isAllNewlines(insert)) {
          return otError(
            OtErrorCode.INVALID_ATTRIBUTES,
            `component ${i}: block attributes may only be inserted on "\\n" characters`,
          );
        }
        lastInsertEndsInNewline = insert.charCodeAt(length - 1) === 10;
        op = { insert };
      } else {
        if (typeof insert !== 'object' || insert === null) {
          return otError(
            OtErrorCode.INVALID_OP,
            `component ${i}: insert must be a string or an embed object`,
          );
        }
        const embed = checkEmbed(insert);
        if (!embed.ok) return otError(OtErrorCode.INVALID_OP, `component ${i}: ${embed.message}`);
        if (setsBlock) {
          return otError(
            OtErrorCode.INVALID_ATTRIBUTES,
            `component ${i}: an embed cannot carry block attributes`,
          );
        }
        length = 1;
        lastInsertEndsInNewline = false;
        op = { insert: embed.embed as unknown as Record<string, unknown> };
      }
      inserted += length;
      if (mode === OP_MODE && inserted > limits.maxInsertLength) {
        return otError(
          OtErrorCode.OP_TOO_LARGE,
          `component ${i}: more than ${limits.maxInsertLength} characters inserted`,
        );
      }
      if (attributes !== undefined) op.attributes = attributes;
      lastKind = 1;
      pushNormalized(out, op);
      continue;
    }

    // A retain or a delete: a count of characters of the old document.
    const isRetain = kind === 2;
    const n: unknown = isRetain ? retain : remove;
    if (!isCount(n)) {
      if (isRetain && typeof n === 'object' && n !== null) {
        return otError(
          OtErrorCode.INVALID_OP,
          `component ${i}: retaining an embed's contents is not supported`,
        );
      }
      return otError(
        OtErrorCode.INVALID_OP,
        `component ${i}: ${isRetain ? 'retain' : 'delete'} must be a positive integer`,
      );
    }
    if (doc !== null) {
      const end = pos + n;
      if (end > docLength) {
        return otError(
          OtErrorCode.OP_OUT_OF_RANGE,
          `component ${i}: ${isRetain ? 'retain' : 'delete'} of ${n} at ${pos} runs past the end of the document (length ${docLength})`,
        );
      }
      if (isRetain && setsBlock) {
        if (!doc.isAllNewlines(pos, n)) {
          return otError(
            OtErrorCode.INVALID_ATTRIBUTES,
            `component ${i}: block attributes may only be set on "\\n" characters (range ${pos}..${end})`,
          );
        }
      }
      pos = end;
    }
    if (isRetain) {
      lastKind = 2;
      lastRetainEnd = pos;
      const op: Op = { retain: n };
      if (attributes !== undefined) op.attributes = attributes;
      pushNormalized(out, op);
    } else {
      deleted += n;
      pushNormalized(out, { delete: n });
    }
  }

  // Trailing plain retains change nothing (quill-delta's chop()).
  const last = out[out.length - 1];
  if (last !== undefined && typeof last.retain === 'number' && last.attributes === undefined) out.pop();

  if (doc !== null) {
    // Boundaries are checked on the normalized op: [delete 1, delete 1] over
    // one emoji does not split it.
    let at = 0;
    for (let i = 0; i < out.length; i++) {
      const n = out[i].retain ?? out[i].delete;
      if (typeof n !== 'number') continue;
      at += n;
      if (at < docLength && isHighSurrogate(doc.codeUnitAt(at - 1)) && isLowSurrogate(doc.codeUnitAt(at))) {
        return otError(
          OtErrorCode.INVALID_TEXT,
          `position ${at} (end of normalized component ${i}) splits a surrogate pair`,
        );
      }
    }
  }

  if (mode === DOCUMENT_MODE) {
    if (!lastInsertEndsInNewline) {
      return otError(OtErrorCode.MISSING_FINAL_NEWLINE, 'a document must end in "\\n"');
    }
    if (inserted > limits.maxDocumentLength) {
      return otError(
        OtErrorCode.DOC_TOO_LARGE,
        `document length ${inserted}, the limit is ${limits.maxDocumentLength}`,
      );
    }
    return { ok: true, value: new Delta(out) };
  }
  if (doc === null) return { ok: true, value: new Delta(out) };

  // The result's last character: the rest of the old document when the op
  // stops early, otherwise the last character the op itself produced.
  let endsInNewline: boolean;
  if (pos < docLength) endsInNewline = doc.codeUnitAt(docLength - 1) === 10;
  else if (lastKind === 1) endsInNewline = lastInsertEndsInNewline;
  else if (lastKind === 2) endsInNewline = lastRetainEnd > 0 && doc.codeUnitAt(lastRetainEnd - 1) === 10;
  else endsInNewline = false;
  if (!endsInNewline) {
    return otError(OtErrorCode.MISSING_FINAL_NEWLINE, 'the resulting document would not end in "\\n"');
  }
  const newLength = docLength + inserted - deleted;
  if (newLength > limits.maxDocumentLength && newLength > docLength) {
    return otError(
      OtErrorCode.DOC_TOO_LARGE,
      `the resulting document would have length ${newLength}, the limit is ${limits.maxDocumentLength}`,
    );
  }
  return { ok: true, value: new Delta(out) };
}
