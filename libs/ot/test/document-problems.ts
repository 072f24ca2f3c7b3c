import type Delta from 'quill-delta';

/*
 * The test oracle for documents, written without src/ so that it can judge
 * what src/ produces: the format contract listed at the top of arbitraries.ts
 * (whose generators only make documents that keep it), checked character by
 * character.
 */

const INLINE_KEYS = ['bold', 'italic', 'underline', 'strike', 'code', 'link'] as const;
const BLOCK_KEYS = ['header', 'list', 'indent', 'blockquote', 'code-block', 'align'] as const;

const INLINE_SET: ReadonlySet<string> = new Set(INLINE_KEYS);
const BLOCK_SET: ReadonlySet<string> = new Set(BLOCK_KEYS);

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** True when every surrogate in `s` is part of a well-formed pair. */
function hasWellFormedSurrogates(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isHighSurrogate(c)) {
      if (!isLowSurrogate(s.charCodeAt(i + 1))) return false;
      i++;
    } else if (isLowSurrogate(c)) {
      return false;
    }
  }
  return true;
}

/**
 * Test oracle, independent of the code under test: the problems with `doc` as
 * a document (empty when valid). Checks the format contract character by
 * character: inserts only, final "\n", well-formed surrogates, allow-listed
 * attributes, block attributes on "\n" only, inline attributes off "\n".
 */
export function documentProblems(doc: Delta): string[] {
  const problems: string[] = [];
  let text = '';
  for (const op of doc.ops) {
    if (op.insert == null) {
      problems.push(`not an insert: ${JSON.stringify(op)}`);
      continue;
    }
    const attrs = op.attributes ?? {};
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null) problems.push(`null attribute in document: ${key}`);
      if (!INLINE_SET.has(key) && !BLOCK_SET.has(key)) problems.push(`unknown attribute ${key}`);
    }
    if (typeof op.insert === 'string') {
      text += op.insert;
      const keys = Object.keys(attrs);
      if (/[^\n]/.test(op.insert) && keys.some((k) => BLOCK_SET.has(k))) {
        problems.push(`block attribute on text: ${JSON.stringify(op)}`);
      }
      if (op.insert.includes('\n') && keys.some((k) => INLINE_SET.has(k))) {
        problems.push(`inline attribute on newline: ${JSON.stringify(op)}`);
      }
    } else {
      text += '\u0000';
      if (Object.keys(attrs).some((k) => BLOCK_SET.has(k))) problems.push(`block attribute on embed`);
    }
  }
  if (!text.endsWith('\n')) problems.push('document does not end in "\\n"');
  if (!hasWellFormedSurrogates(text)) problems.push('document splits a surrogate pair');
  return problems;
}
