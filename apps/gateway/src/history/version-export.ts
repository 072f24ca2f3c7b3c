import { EXPORT_FORMATS, type ExportFormat } from '@collab/contracts';
import { deltaToHtmlDocument, deltaToMarkdown, deltaToText } from '@collab/rich-text';

/** An export ready to send: the body, its content type and the Content-Disposition header. */
export interface ExportFile {
  readonly body: string;
  readonly contentType: string;
  readonly contentDisposition: string;
}

type DocumentOps = Parameters<typeof deltaToText>[0] & Parameters<typeof deltaToMarkdown>[0];

/** The longest file name stem, before `-v<version>.<ext>`. */
const MAX_STEM = 80;

/**
 * Renders one version of a document in an export format. HTML and Markdown
 * come from the sanitized rendering (no script, event handler or
 * `javascript:` link survives into either); text is the plain text.
 */
export function exportVersion(
  format: ExportFormat,
  title: string,
  version: number,
  ops: DocumentOps,
): ExportFile {
  const { contentType, extension } = EXPORT_FORMATS[format];
  let body: string;
  switch (format) {
    case 'html':
      body = deltaToHtmlDocument(title, ops);
      break;
    case 'markdown':
      body = deltaToMarkdown(ops);
      break;
    case 'text':
      body = deltaToText(ops);
      break;
  }
  return {
    body,
    contentType,
    contentDisposition: attachment(`${stem(title)}-v${version}.${extension}`, title, version, extension),
  };
}

/** The title as a portable file name stem: letters, digits, dot, dash and underscore only. */
function stem(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, MAX_STEM);
  return ascii.length > 0 ? ascii : 'document';
}

/**
 * `attachment` with an ASCII `filename` every client understands and an RFC
 * 5987 `filename*` carrying the title as written (browsers prefer it).
 * Neither can break out of the header: the first holds only safe characters,
 * the second is percent-encoded.
 */
function attachment(asciiName: string, title: string, version: number, extension: string): string {
  const full = `${title.slice(0, MAX_STEM)}-v${version}.${extension}`;
  const encoded = encodeURIComponent(full).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encoded}`;
}
