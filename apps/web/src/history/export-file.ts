import { EXPORT_FORMATS, type ExportFormat } from '@collab/contracts';
import type { Endpoints } from '../api/endpoints';

/** The export formats with the names people know them by. */
export const EXPORT_CHOICES: readonly { format: ExportFormat; label: string }[] = [
  { format: 'html', label: 'HTML' },
  { format: 'markdown', label: 'Markdown' },
  { format: 'text', label: 'Text' },
];

/** Downloads the head (or `version`) as a file named after the document (and the version). */
export async function downloadExport(
  calls: Endpoints,
  docId: string,
  title: string,
  format: ExportFormat,
  version?: number,
): Promise<void> {
  const blob = await calls.exportFile(docId, format, version);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${title || 'document'}${version === undefined ? '' : ` (v${version})`}.${EXPORT_FORMATS[format].extension}`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
