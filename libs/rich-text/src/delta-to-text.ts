/**
 * The document's plain text: its text inserts in order, with the line breaks
 * of its paragraphs; embeds (images, dividers) have no text and are dropped.
 */
export function deltaToText(ops: readonly { insert?: unknown }[]): string {
  let text = '';
  for (const op of ops) if (typeof op.insert === 'string') text += op.insert;
  return text;
}
