export { deltaToHtml, escapeHtml } from './delta-to-html';
export { deltaToHtmlDocument } from './delta-to-html-document';
export { deltaToMarkdown } from './delta-to-markdown';
export { deltaToText } from './delta-to-text';
export { renderDocumentHtml } from './render-document';
export { sanitizeHtml } from './sanitize';
