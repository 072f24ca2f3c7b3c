import type { Collaborator } from '@collab/contracts';
import { safeColor } from '@collab/editor-binding';
import type { ChangeStop } from './diff-display';
import type { AuthorLook } from './diff-highlight';
import { namesLabel } from './session-label';

const KIND_WORDS = { insert: 'added', delete: 'deleted', format: 'formatting changed' } as const;

/** "added and deleted, by Ana and Bruno": what a change stop did, and who did it. */
export function stopDescription(stop: ChangeStop, looks: ReadonlyMap<string, AuthorLook>): string {
  const what = namesLabel(stop.kinds.map((k) => KIND_WORDS[k]));
  const who = stop.authors.filter((a): a is string => a !== null).map((a) => looks.get(a)?.name ?? 'someone');
  return who.length > 0 ? `${what}, by ${namesLabel(who)}` : what;
}

/** Who wrote the changes, in their colours, and what the highlights mean. */
export function VersionLegend({ authors }: { authors: readonly Collaborator[] }) {
  return (
    <div className="version-legend">
      <ul aria-label="Authors of these changes">
        {authors.map((a) => (
          <li key={a.userId}>
            <span className="swatch" style={{ background: safeColor(a.color) }} aria-hidden="true" />
            {a.name}
          </li>
        ))}
      </ul>
      <span className="legend-samples">
        <ins className="diff-insert legend-sample">Added</ins>{' '}
        <del className="diff-delete legend-sample">Deleted</del>{' '}
        <span className="diff-format legend-sample">Formatting changed</span>
      </span>
    </div>
  );
}
