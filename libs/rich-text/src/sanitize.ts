import sanitize from 'sanitize-html';

const BLOCKS = ['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'pre'];
const LAYOUT_CLASSES = [/^ql-align-(center|right|justify)$/, /^ql-indent-[1-8]$/];

/**
 * The allow-list for snapshot HTML: exactly what `deltaToHtml` produces.
 * No style attribute, no event handler, no script or iframe; links only to
 * http/https/mailto and images only from http/https (protocol-relative URLs
 * are refused too). Layout travels in classes, never in style.
 */
const OPTIONS: sanitize.IOptions = {
  allowedTags: [...BLOCKS, 'ul', 'ol', 'strong', 'em', 'u', 's', 'code', 'a', 'img', 'hr', 'br'],
  allowedAttributes: { a: ['href'], img: ['src', 'alt'], li: ['data-checked'] },
  allowedClasses: Object.fromEntries(BLOCKS.map((tag) => [tag, LAYOUT_CLASSES])),
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // A script's or style's text is dropped with the element, not kept as text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript'],
};

/** Passes snapshot HTML through the allow-list. */
export function sanitizeHtml(html: string): string {
  return sanitize(html, OPTIONS);
}
