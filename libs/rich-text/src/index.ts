export { deltaToHtml } from './delta-to-html';
export { renderDocumentHtml } from './render-document';
export { sanitizeHtml } from './sanitize';
