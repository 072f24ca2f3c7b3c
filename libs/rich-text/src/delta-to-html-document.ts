import { escapeHtml } from './delta-to-html';
import { renderDocumentHtml } from './render-document';

/**
 * A standalone HTML file of the document (the HTML export): a UTF-8 page
 * titled with the escaped document title, whose body is the sanitized
 * rendering, with the same guarantees as snapshot HTML.
 */
export function deltaToHtmlDocument(title: string, ops: Parameters<typeof renderDocumentHtml>[0]): string {
  return (
    '<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n' +
    `<title>${escapeHtml(title)}</title>\n</head>\n<body>\n${renderDocumentHtml(ops)}\n</body>\n</html>\n`
  );
}
