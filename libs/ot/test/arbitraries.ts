/**
 * fast-check generators for the shared document and operation format.
 *
 * Every value produced here is valid under the contract that validateOp
 * enforces, so a property that fails on one of them is a real bug, never a
 * generator artefact:
 * - a document is inserts only and ends in "\n";
 * - text mixes ASCII, newlines, BMP non-ASCII and astral characters (emoji,
 *   ZWJ sequences, flags); no boundary ever falls inside a surrogate pair;
 * - inline attributes (bold, italic, underline, strike, code, link) sit on
 *   text and embeds, block attributes (header, list, indent, blockquote,
 *   code-block, align) only on "\n" characters;
 * - in an operation, inserts never carry null, retains may carry null (it
 *   removes the attribute), a retain that carries block attributes covers
 *   "\n" characters only, retains and deletes stay inside the document, the
 *   final "\n" is never deleted and nothing is inserted after it.
 */
import Delta, { type AttributeMap } from 'quill-delta';
import fc from 'fast-check';

/**
 * Characters used to build text. Each entry is one unit that is never split;
 * a multi-code-point entry (ZWJ sequence, flag, combining mark) may be split
 * between its code points, which is legal (only surrogate pairs are atomic).
 */
export const TEXT_UNITS: readonly string[] = [
  'a',
  'b',
  'z',
  'Q',
  '7',
  ' ',
  '.',
  'é', // precomposed, BMP
  'e\u0301', // e + combining acute
  'ß',
  'Ω',
  '中',
  '文',
  '\u00a0', // no-break space
  '😀', // astral: one surrogate pair
  '𝄞', // astral: musical symbol
  '👩‍💻', // ZWJ sequence: pair + ZWJ + pair
  '🇫🇷', // flag: two regional-indicator pairs
  '👍🏽', // emoji + skin-tone modifier
];

export const LINK_URLS: readonly string[] = [
  'https://example.com/',
  'http://example.org/a?b=c#d',
  'mailto:someone@example.com',
  'https://例え.jp/パス',
];

export const IMAGE_URLS: readonly string[] = ['https://example.com/cat.png', 'http://img.example.org/x.gif'];

const LIST_VALUES = ['bullet', 'ordered', 'checked', 'unchecked'] as const;
const ALIGN_VALUES = ['left', 'center', 'right', 'justify'] as const;

/**
 * An attribute map of one to three entries drawn from `entries` (a later
 * duplicate key wins), or, more often, no attributes at all: most runs are
 * plain, and sparse maps make attribute conflicts between concurrent
 * operations likely instead of drowning them in always-full maps.
 */
function arbAttributeMap(entries: fc.Arbitrary<[string, unknown]>[]): fc.Arbitrary<AttributeMap> {
  const some = fc
    .array(fc.oneof(...entries), { minLength: 1, maxLength: 3 })
    .map((pairs) => Object.fromEntries(pairs) as AttributeMap);
  return fc.oneof({ arbitrary: fc.constant({}), weight: 3 }, { arbitrary: some, weight: 2 });
}

/** An entry `[key, value]`, where the value may be null (in a retain only: removes the attribute). */
function entry<T>(key: string, value: fc.Arbitrary<T>, allowNull: boolean): fc.Arbitrary<[string, unknown]> {
  const v: fc.Arbitrary<T | null> = allowNull
    ? fc.oneof({ arbitrary: value, weight: 3 }, { arbitrary: fc.constant(null), weight: 1 })
    : value;
  return v.map((x): [string, unknown] => [key, x]);
}

/** Inline attributes; `allowNull` for retains. */
export function arbInlineAttributes(allowNull = false): fc.Arbitrary<AttributeMap> {
  const flag = fc.constant(true);
  return arbAttributeMap([
    entry('bold', flag, allowNull),
    entry('italic', flag, allowNull),
    entry('underline', flag, allowNull),
    entry('strike', flag, allowNull),
    entry('code', flag, allowNull),
    entry('link', fc.constantFrom(...LINK_URLS), allowNull),
  ]);
}

/** Block attributes, which belong on "\n" only; `allowNull` for retains. */
function arbBlockAttributes(allowNull = false): fc.Arbitrary<AttributeMap> {
  return arbAttributeMap([
    entry('header', fc.integer({ min: 1, max: 6 }), allowNull),
    entry('list', fc.constantFrom(...LIST_VALUES), allowNull),
    entry('indent', fc.integer({ min: 0, max: 8 }), allowNull),
    entry('blockquote', fc.constant(true), allowNull),
    entry('code-block', fc.constant(true), allowNull),
    entry('align', fc.constantFrom(...ALIGN_VALUES), allowNull),
  ]);
}

function arbEmbed(): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(
    fc.constantFrom(...IMAGE_URLS).map((image) => ({ image })),
    fc.constant({ divider: true }),
  );
}

/** Non-empty text without "\n" (newlines are separate pieces so they can carry block attributes). */
function arbText(maxUnits = 6): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...TEXT_UNITS), { minLength: 1, maxLength: maxUnits })
    .map((u) => u.join(''));
}

/** One insert: a text run, a "\n" (with block attributes) or an embed (with inline attributes). */
type Piece = { insert: string | Record<string, unknown>; attributes: AttributeMap };

function arbPiece(): fc.Arbitrary<Piece> {
  return fc.oneof(
    { arbitrary: fc.record({ insert: arbText(), attributes: arbInlineAttributes() }), weight: 5 },
    { arbitrary: fc.record({ insert: fc.constant('\n'), attributes: arbBlockAttributes() }), weight: 2 },
    { arbitrary: fc.record({ insert: arbEmbed(), attributes: arbInlineAttributes() }), weight: 1 },
  );
}

function pushPieces(delta: Delta, pieces: readonly Piece[]): Delta {
  for (const p of pieces) delta.insert(p.insert, p.attributes);
  return delta;
}

export type DocumentOptions = { maxPieces?: number };

/**
 * A valid document: inserts only, ending in "\n". Small by default (at most
 * `maxPieces` runs, each at most 6 text units), which is what OT laws need.
 */
export function arbDocument(options: DocumentOptions = {}): fc.Arbitrary<Delta> {
  const maxPieces = options.maxPieces ?? 8;
  return fc
    .tuple(fc.array(arbPiece(), { maxLength: maxPieces }), arbBlockAttributes())
    .map(([pieces, lastBlock]) => pushPieces(new Delta(), pieces).insert('\n', lastBlock));
}

/**
 * One indivisible unit of a document: a code point (1 or 2 UTF-16 units) or
 * an embed (length 1). Cutting only between atoms never splits a surrogate pair.
 */
type Atom = { length: number; newline: boolean };

/** The atoms of a document, in order. Throws on a non-document (test input bug). */
export function documentAtoms(doc: Delta): Atom[] {
  const atoms: Atom[] = [];
  for (const op of doc.ops) {
    if (typeof op.insert === 'string') {
      for (const cp of op.insert) atoms.push({ length: cp.length, newline: cp === '\n' });
    } else if (op.insert != null) {
      atoms.push({ length: 1, newline: false });
    } else {
      throw new Error('documentAtoms: not a document (retain or delete found)');
    }
  }
  return atoms;
}

const SpanAction = { retain: 'retain', delete: 'delete', format: 'format' } as const;
type SpanAction = (typeof SpanAction)[keyof typeof SpanAction];

/** A stretch of consecutive atoms treated alike, optionally preceded by an insert. */
type Span = {
  count: number;
  action: SpanAction;
  inline: AttributeMap;
  block: AttributeMap;
  insertBefore: readonly Piece[];
};

function arbSpan(): fc.Arbitrary<Span> {
  return fc.record({
    count: fc.integer({ min: 1, max: 4 }),
    action: fc.oneof(
      { arbitrary: fc.constant(SpanAction.retain), weight: 4 },
      { arbitrary: fc.constant(SpanAction.delete), weight: 2 },
      { arbitrary: fc.constant(SpanAction.format), weight: 2 },
    ),
    inline: arbInlineAttributes(true),
    block: arbBlockAttributes(true),
    insertBefore: fc.oneof(
      { arbitrary: fc.constant<readonly Piece[]>([]), weight: 2 },
      { arbitrary: fc.array(arbPiece(), { minLength: 1, maxLength: 3 }), weight: 1 },
    ),
  });
}

/**
 * Which kinds of edit an operation may contain (all by default). Turning a
 * kind off keeps the same random choices and replaces that kind by a plain
 * retain (or drops the insert), so a property can be stated on a sub-domain
 * without filtering.
 */
export type OpKinds = Readonly<{ inserts?: boolean; deletes?: boolean; formats?: boolean }>;

/**
 * Turn spans into an operation on a document with the given atoms. Spans past
 * the end are ignored; atoms past the last span are retained (chopped). The
 * last atom (the final "\n") is never deleted, and nothing goes after it.
 */
function buildOp(atoms: readonly Atom[], spans: readonly Span[], kinds: OpKinds = {}): Delta {
  const { inserts = true, deletes = true, formats = true } = kinds;
  const op = new Delta();
  let i = 0;
  for (const span of spans) {
    if (i >= atoms.length) break;
    if (inserts) pushPieces(op, span.insertBefore);
    for (let k = 0; k < span.count && i < atoms.length; k++, i++) {
      const atom = atoms[i];
      const isFinalNewline = i === atoms.length - 1;
      if (span.action === SpanAction.delete && deletes && !isFinalNewline) {
        op.delete(atom.length);
      } else if (span.action === SpanAction.format && formats) {
        // Block attributes only on "\n", inline attributes only elsewhere.
        op.retain(atom.length, atom.newline ? span.block : span.inline);
      } else {
        op.retain(atom.length);
      }
    }
  }
  return op.chop();
}

/** A random valid operation against `doc` (possibly a no-op), optionally limited to some kinds of edit. */
export function arbOpFor(doc: Delta, kinds: OpKinds = {}): fc.Arbitrary<Delta> {
  const atoms = documentAtoms(doc);
  return fc
    .array(arbSpan(), { maxLength: Math.min(atoms.length, 8) })
    .map((spans) => buildOp(atoms, spans, kinds));
}

/**
 * A document-independent description of an edit; {@link opFromRecipe} turns
 * it into a valid operation on any document. For `fc.gen()`, whose cache of
 * arbitraries is keyed by deep-equal arguments and scanned linearly: passing
 * an ever-new document to `g(arbOpFor, doc)` makes a long run quadratic.
 */
export type EditRecipe = readonly Span[];

export function arbEditRecipe(): fc.Arbitrary<EditRecipe> {
  return fc.array(arbSpan(), { maxLength: 8 });
}

export function opFromRecipe(doc: Delta, recipe: EditRecipe, kinds: OpKinds = {}): Delta {
  return buildOp(documentAtoms(doc), recipe, kinds);
}

/** `count` operations made concurrently against the same document. */
function arbConcurrentOps(doc: Delta, count: number): fc.Arbitrary<Delta[]> {
  return fc.tuple(...Array.from({ length: count }, () => arbOpFor(doc)));
}

/** A document and `count` concurrent operations on it. */
export function arbDocWithConcurrentOps(
  count: number,
  options: DocumentOptions = {},
): fc.Arbitrary<{ doc: Delta; ops: Delta[] }> {
  return arbDocument(options).chain((doc) => arbConcurrentOps(doc, count).map((ops) => ({ doc, ops })));
}

/** `count` operations applied one after another: op i is valid on doc ∘ op0 ∘ … ∘ op(i-1). */
export function arbOpSequence(doc: Delta, count: number, kinds: OpKinds = {}): fc.Arbitrary<Delta[]> {
  if (count <= 0) return fc.constant([]);
  return arbOpFor(doc, kinds).chain((op) =>
    arbOpSequence(doc.compose(op), count - 1, kinds).map((rest) => [op, ...rest]),
  );
}

/** A document and a sequence of `count` consecutive operations on it. */
export function arbDocWithOpSequence(
  count: number,
  options: DocumentOptions = {},
): fc.Arbitrary<{ doc: Delta; ops: Delta[] }> {
  return arbDocument(options).chain((doc) => arbOpSequence(doc, count).map((ops) => ({ doc, ops })));
}
