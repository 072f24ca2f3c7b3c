import { deltaToHtml } from './delta-to-html';
import { sanitizeHtml } from './sanitize';

/** The sanitized HTML of a document Delta: what snapshots store and clients paint first. */
export function renderDocumentHtml(ops: Parameters<typeof deltaToHtml>[0]): string {
  return sanitizeHtml(deltaToHtml(ops));
}
