import type { DocumentSummary } from '@collab/contracts';
import { COLLAB_EDITOR_CSS, collabExtensions, indexToPm, loadDocument } from '@collab/editor-binding';
import { EditorContent, useEditor } from '@tiptap/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useServices } from '../app-context';
import { ConfirmDialog, PromptDialog } from '../components/dialog';
import { describeError } from '../errors/messages';
import { compareTarget } from './compare-version';
import { nextStop } from './diff-display';
import { type AuthorLook, diffDecorations, diffHighlightKey, diffHighlightPlugin } from './diff-highlight';
import { useDocumentColour } from './document-colours';
import { downloadExport, EXPORT_CHOICES } from './export-file';
import type { CompareChoice } from './session-label';
import { useVersionDiff } from './use-version-diff';
import { stopDescription, VersionLegend } from './version-legend';

/**
 * A past version shown in place of the live document, read-only, with its
 * changes since `from` highlighted (insertions in their author's colour,
 * deletions struck through, format changes marked). Next / Previous change
 * step through them; Esc or "Back to live document" closes it. From here the
 * version can be restored, copied as a new document, or exported.
 */
export function VersionView({
  docId,
  title,
  version,
  from,
  choices,
  head,
  canEdit,
  onCompare,
  onClose,
  onNamed,
}: {
  docId: string;
  title: string;
  version: number;
  from: number;
  choices: readonly CompareChoice[];
  /** The newest version there is: the highest number "Compare with version" accepts. */
  head: number;
  canEdit: boolean;
  /** Show `version` compared with `from` (from < version). */
  onCompare: (version: number, from: number) => void;
  onClose: () => void;
  /** The version was named (the history list shows it). */
  onNamed: () => void;
}) {
  const { calls } = useServices();
  const { loaded, error: loadError } = useVersionDiff(docId, version, from);
  const [current, setCurrent] = useState(-1);
  const [error, setError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);
  const [naming, setNaming] = useState(false);
  const [copy, setCopy] = useState<DocumentSummary | null>(null);
  const [copying, setCopying] = useState(false);
  const [typedVersion, setTypedVersion] = useState('');
  const [typedProblem, setTypedProblem] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement | null>(null);

  const editor = useEditor({
    extensions: collabExtensions(),
    editable: false,
    editorProps: {
      attributes: {
        class: 'version-body',
        'aria-label': `Version ${version}, read-only`,
        role: 'textbox',
        'aria-readonly': 'true',
        'aria-multiline': 'true',
      },
    },
  });
  useEffect(() => {
    if (!editor) return;
    editor.registerPlugin(diffHighlightPlugin());
    return () => {
      editor.unregisterPlugin(diffHighlightKey);
    };
  }, [editor]);

  // The authors in this document's colours (the highlights, the legend and the hover text agree).
  const colourOf = useDocumentColour();
  const authors = useMemo(
    () => (loaded?.authors ?? []).map((a) => ({ ...a, color: colourOf(a.userId, a.color) })),
    [loaded, colourOf],
  );
  const looks = useMemo(() => new Map<string, AuthorLook>(authors.map((a) => [a.userId, a])), [authors]);

  // A new version or comparison starts before the first change.
  useEffect(() => setCurrent(-1), [loaded]);
  useEffect(() => heading.current?.focus(), [version]);

  useEffect(() => {
    if (!editor || !loaded) return;
    const load = loadDocument(editor.state, loaded.display);
    if (!load.ok) return setError('This version could not be shown.');
    editor.view.dispatch(load.value);
  }, [editor, loaded]);

  useEffect(() => {
    if (!editor || !loaded) return;
    const stop = loaded.stops[current] ?? null;
    const set = diffDecorations(editor.state.doc, loaded.marks, looks, stop);
    editor.view.dispatch(editor.state.tr.setMeta(diffHighlightKey, set));
    if (!stop) return;
    const { node } = editor.view.domAtPos(indexToPm(editor.state.doc, stop.from));
    const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : (node as HTMLElement);
    element?.scrollIntoView({ block: 'center' });
  }, [editor, loaded, looks, current]);

  // Esc returns to the live document (an Esc that closes one of this view's dialogs does not).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (document.querySelector('[role="dialog"], [role="alertdialog"]')) return;
      onClose();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onClose]);

  const step = (back: boolean) => loaded && setCurrent((c) => nextStop(loaded.stops.length, c, back));

  const copyAsNew = async () => {
    setCopying(true);
    try {
      setCopy(await calls.copyVersion(docId, version));
      setError(null);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setCopying(false);
    }
  };

  const compareWithTyped = () => {
    const target = compareTarget(typedVersion, version, head);
    if (!target.ok) return setTypedProblem(target.message);
    setTypedProblem(null);
    setTypedVersion('');
    onCompare(target.version, target.from);
  };

  const download = (format: (typeof EXPORT_CHOICES)[number]['format']) =>
    downloadExport(calls, docId, title, format, version).catch((e: unknown) => setError(describeError(e)));

  const stops = loaded?.stops ?? [];
  const stop = stops[current];
  return (
    <section className="version-view" aria-labelledby="version-view-heading">
      <header className="version-banner card">
        <div className="version-banner-title">
          <h2 id="version-view-heading" ref={heading} tabIndex={-1}>
            Viewing version {version}, not live
          </h2>
          <button className="primary" onClick={onClose} aria-keyshortcuts="Escape">
            Back to live document
          </button>
        </div>
        <div className="version-tools">
          <label className="compare-with">
            Compare with
            <select value={from} onChange={(e) => onCompare(version, Number(e.target.value))}>
              {choices.map((c) => (
                <option key={c.version} value={c.version}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <form
            className="compare-with-number"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              compareWithTyped();
            }}
          >
            <label>
              or version
              <input
                type="text"
                inputMode="numeric"
                size={6}
                value={typedVersion}
                placeholder={`0–${head}`}
                aria-label={`Any version number, 0 to ${head}`}
                aria-invalid={typedProblem !== null}
                aria-describedby={typedProblem ? 'compare-version-problem' : undefined}
                onChange={(e) => setTypedVersion(e.target.value)}
              />
            </label>
            <button type="submit">Compare</button>
          </form>
          <span className="change-steps" role="group" aria-label="Changes">
            <button onClick={() => step(true)} disabled={stops.length === 0}>
              Previous change
            </button>
            <button onClick={() => step(false)} disabled={stops.length === 0}>
              Next change
            </button>
          </span>
        </div>
        {typedProblem && (
          <p className="error" id="compare-version-problem" role="alert">
            {typedProblem}
          </p>
        )}
        <p className="change-position" aria-live="polite">
          {!loaded
            ? 'Loading…'
            : stops.length === 0
              ? `No changes since version ${from}.`
              : stop
                ? `Change ${current + 1} of ${stops.length}: ${stopDescription(stop, looks)}`
                : `${stops.length} ${stops.length === 1 ? 'change' : 'changes'} since version ${from}.`}
        </p>
        {loaded && <VersionLegend authors={authors} />}
        <div className="version-actions">
          {canEdit && <button onClick={() => setRestoring(true)}>Restore this version</button>}
          {canEdit && <button onClick={() => setNaming(true)}>Name this version…</button>}
          <button onClick={() => void copyAsNew()} disabled={copying}>
            Copy as new document
          </button>
          <span className="muted">Export:</span>
          {EXPORT_CHOICES.map((c) => (
            <button
              key={c.format}
              onClick={() => void download(c.format)}
              aria-label={`Export as ${c.label}`}
            >
              {c.label}
            </button>
          ))}
        </div>
        {copy && (
          <p className="notice-line" role="status">
            Copied as “{copy.title}”. <Link to={`/d/${copy.id}`}>Open the copy</Link>
          </p>
        )}
        {(error ?? loadError) && (
          <p className="error" role="alert">
            {error ?? loadError}
          </p>
        )}
      </header>
      {/* The flat line model's lists, numbering and indents, as in the live editor. */}
      <style>{COLLAB_EDITOR_CSS}</style>
      <div className="page card version-page">
        <EditorContent editor={editor} />
      </div>
      <PromptDialog
        open={naming}
        onOpenChange={setNaming}
        title={`Name version ${version}`}
        label="Version name"
        confirm="Save name"
        onSubmit={async (name) => {
          await calls.nameVersion(docId, version, name);
          onNamed();
        }}
      />
      <ConfirmDialog
        open={restoring}
        onOpenChange={setRestoring}
        title={`Restore version ${version}?`}
        description="Everyone editing will see the document as it was then. The current text stays in the history."
        confirm="Restore"
        onConfirm={async () => {
          await calls.restore(docId, version);
          onClose();
        }}
      />
    </section>
  );
}
