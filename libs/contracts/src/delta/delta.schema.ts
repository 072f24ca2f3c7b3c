import { z } from 'zod';
import { MAX_ATTRIBUTES_PER_COMPONENT, MAX_ATTRIBUTE_NAME_LENGTH, MAX_DELTA_COMPONENTS } from '../limits';

/*
 * The structural schema of an operation on the wire: a Quill Delta's `ops`
 * array. It checks the *shape* only: which keys, which types, positive
 * lengths, bounded counts, no unknown keys. It cannot know the document, so
 * the deep checks belong to libs/ot `validateOp`: the attribute allow-list
 * and values (safe links), retains and deletes within the document, lone
 * surrogates and split surrogate pairs, the final newline, operation and
 * document size limits. A payload passes this schema at the edge first
 * (BAD_REQUEST), then validateOp in the actor (INVALID_OP, OP_OUT_OF_RANGE,
 * ...).
 */

/** A value of a formatting attribute; `null` removes the attribute (in a retain). */
export const AttributeValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** See {@link AttributeValue}. */
export type AttributeValue = z.infer<typeof AttributeValue>;

const attributeName = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z][A-Za-z0-9-]{0,${MAX_ATTRIBUTE_NAME_LENGTH - 1}}$`),
    'Expected an attribute name of letters, digits and dashes',
  );

/**
 * Formatting attributes of one component (`{bold: true, link: "https://..."}`).
 * A `__proto__` key is refused outright: a record would otherwise drop it in
 * silence, and nothing may quietly change what a client sent.
 */
export const AttributeMap = z
  .custom<unknown>(
    (value) =>
      !(
        typeof value === 'object' &&
        value !== null &&
        Object.prototype.hasOwnProperty.call(value, '__proto__')
      ),
    { message: 'The key "__proto__" is not allowed' },
  )
  .pipe(z.record(attributeName, AttributeValue))
  .refine((map) => Object.keys(map).length <= MAX_ATTRIBUTES_PER_COMPONENT, {
    message: `At most ${MAX_ATTRIBUTES_PER_COMPONENT} attributes per component`,
  });
/** See {@link AttributeMap}. */
export type AttributeMap = z.infer<typeof AttributeMap>;

/** An embedded image: `{image: url}` (libs/ot checks the URL). */
export const ImageEmbed = z.strictObject({ image: z.string().min(1) });
/** An embedded horizontal rule: `{divider: true}`. */
export const DividerEmbed = z.strictObject({ divider: z.literal(true) });
/** The embeds an insert may carry instead of text. */
export const Embed = z.union([ImageEmbed, DividerEmbed]);
/** See {@link Embed}. */
export type Embed = z.infer<typeof Embed>;

/** Inserts non-empty text or one embed. */
export const InsertOp = z.strictObject({
  insert: z.union([z.string().min(1), Embed]),
  attributes: AttributeMap.optional(),
});
/** See {@link InsertOp}. */
export type InsertOp = z.infer<typeof InsertOp>;

/** Keeps `retain` characters, optionally changing their attributes. */
export const RetainOp = z.strictObject({
  retain: z.int().positive(),
  attributes: AttributeMap.optional(),
});
/** See {@link RetainOp}. */
export type RetainOp = z.infer<typeof RetainOp>;

/** Deletes `delete` characters. */
export const DeleteOp = z.strictObject({
  delete: z.int().positive(),
});
/** See {@link DeleteOp}. */
export type DeleteOp = z.infer<typeof DeleteOp>;

/** One component of an operation. */
export const DeltaOp = z.union([InsertOp, RetainOp, DeleteOp]);
/** See {@link DeltaOp}. */
export type DeltaOp = z.infer<typeof DeltaOp>;

/**
 * An operation, or a whole document (inserts only), as the `ops` array of a
 * Quill Delta: `new Delta(ops)` on one side, `delta.ops` on the other. At
 * most {@link MAX_DELTA_COMPONENTS} components.
 */
export const DeltaOps = z.array(DeltaOp).max(MAX_DELTA_COMPONENTS);
/** See {@link DeltaOps}. */
export type DeltaOps = z.infer<typeof DeltaOps>;

/**
 * A whole document: inserts only. Every Quill document ends with `"\n"`
 * (libs/ot checks that; this schema checks the shape). Only servers send
 * documents, and libs/ot bounds their length, so the component count is
 * not capped here: a long, richly formatted document must always load.
 */
export const DocumentDelta = z.array(InsertOp);
/** See {@link DocumentDelta}. */
export type DocumentDelta = z.infer<typeof DocumentDelta>;
