import type { CollabDocument } from '@collab/client';
import type { DocumentAttribution } from '@collab/contracts';
import { ChangeOrigin, deltaLength, getDeltaMeta, pmRange, pmRanges } from '@collab/editor-binding';
import type { Editor } from '@tiptap/core';
import { Mapping } from '@tiptap/pm/transform';
import { useEffect, useRef, useState } from 'react';
import {
  type Authorship,
  authorHighlightKey,
  authorHighlightMeta,
  authorHighlightPlugin,
  authorsShown,
  type PaintRange,
  remoteInsertions,
} from './author-highlight';
import type { AuthorLook } from './diff-highlight';
import { useDocumentColour } from './document-colours';

export interface AuthorColoursOptions {
  readonly show: boolean;
  /** The person at this editor (their edits take their colour), null when not known. */
  readonly me: Omit<Authorship, 'at'> | null;
  /** Name and colour of someone (from presence, or an attribution already loaded). */
  readonly lookup: (userId: string) => AuthorLook | undefined;
  readonly loadAttribution: (version: number) => Promise<DocumentAttribution>;
  /** The attribution could not be shown (offline, or it did not match this copy). */
  readonly onProblem: (message: string) => void;
}

const SOMEONE: AuthorLook = { name: 'Someone', color: '#888888' };

/**
 * "Show authors" on the live editor: when turned on, the attribution of the
 * version this copy is at is loaded (once every local edit is durable, so the
 * copy is exactly that version) and laid under whatever was coloured while it
 * loaded; from then on every remote operation's inserted text takes its
 * author's colour as it arrives, and this person's typing theirs.
 *
 * Call it after bindEditor's effect: the remote listener must run after the
 * binding's, which applies the change to the editor first.
 */
export function useAuthorColours(editor: Editor | null, doc: CollabDocument, options: AuthorColoursOptions) {
  const latest = useRef(options);
  latest.current = options;
  const known = useRef(new Map<string, AuthorLook>());
  // The document's colours; a ref, so the listeners below read the newest without re-running.
  const documentColour = useDocumentColour();
  const colourOf = useRef(documentColour);
  colourOf.current = documentColour;
  const lookup = (userId: string) => latest.current.lookup(userId) ?? known.current.get(userId) ?? SOMEONE;

  useEffect(() => {
    if (!editor) return;
    editor.registerPlugin(authorHighlightPlugin(() => latest.current.me));
    return () => {
      editor.unregisterPlugin(authorHighlightKey);
    };
  }, [editor]);

  useEffect(() => {
    if (!editor) return;
    return doc.on('remote', (change, op) => {
      // A refused edit of this client's taken out (no op) has no author to show.
      if (!op || !authorsShown(editor.state)) return;
      const by: Authorship = { userId: op.userId, ...lookup(op.userId), at: new Date().toISOString() };
      const ranges: PaintRange[] = remoteInsertions(change).map((r) => {
        const [from, to] = pmRange(editor.state.doc, r.from, r.to);
        return { from, to, by };
      });
      if (ranges.length > 0)
        editor.view.dispatch(editor.state.tr.setMeta(...authorHighlightMeta({ type: 'paint', ranges })));
    });
    // `lookup` reads refs only: it needs no re-run.
  }, [editor, doc]);

  // The editor reloaded the whole document (a remote change that did not fit): the colours
  // went with the old content, so the attribution is loaded again.
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    if (!editor) return;
    const onTransaction = ({ transaction }: { transaction: Parameters<typeof getDeltaMeta>[0] }) => {
      if (getDeltaMeta(transaction)?.origin === ChangeOrigin.load && authorsShown(editor.state))
        setReloads((n) => n + 1);
    };
    editor.on('transaction', onTransaction);
    return () => {
      editor.off('transaction', onTransaction);
    };
  }, [editor]);

  const show = options.show;
  useEffect(() => {
    if (!editor) return;
    if (!show) {
      if (authorsShown(editor.state))
        editor.view.dispatch(editor.state.tr.setMeta(...authorHighlightMeta({ type: 'hide' })));
      return;
    }
    editor.view.dispatch(editor.state.tr.setMeta(...authorHighlightMeta({ type: 'show' })));
    let cancelled = false;
    const mapping = new Mapping();
    const track = ({ transaction }: { transaction: { mapping: Mapping } }) =>
      mapping.appendMapping(transaction.mapping);
    void (async () => {
      await doc.whenSynced(5_000).catch(() => undefined);
      if (cancelled) return;
      // From here every change to the editor is tracked, so the runs of this version land where their text went.
      const start = editor.state.doc;
      const version = doc.version;
      editor.on('transaction', track);
      try {
        const attribution = await latest.current.loadAttribution(version);
        if (cancelled || !authorsShown(editor.state)) return;
        if (attribution.length !== deltaLength(start)) {
          latest.current.onProblem('Authors can be shown once your changes are saved.');
          return;
        }
        for (const a of attribution.authors)
          known.current.set(a.userId, { name: a.name, color: colourOf.current(a.userId, a.color) });
        // The runs come in document order: one walk over the lines converts them all.
        const authored = attribution.runs.filter(
          (run): run is typeof run & { userId: string } => run.userId !== null,
        );
        const positions = pmRanges(
          start,
          authored.map((run) => ({ start: run.from, end: run.to })),
        );
        const ranges: PaintRange[] = authored.map((run, i) => {
          const [from, to] = positions[i];
          return {
            from: mapping.map(from, 1),
            to: mapping.map(to, -1),
            by: { userId: run.userId, ...lookup(run.userId), at: run.time },
          };
        });
        editor.view.dispatch(
          editor.state.tr.setMeta(...authorHighlightMeta({ type: 'paint', ranges, under: true })),
        );
      } catch {
        if (!cancelled) latest.current.onProblem('Authors could not be loaded. Try again when online.');
      } finally {
        editor.off('transaction', track);
      }
    })();
    return () => {
      cancelled = true;
      editor.off('transaction', track);
    };
    // `lookup` reads refs only: it needs no re-run.
  }, [editor, doc, show, reloads]);
}
