import type { CollabDocument } from '@collab/client';
import type { PresenceState } from '@collab/contracts';
import { bindEditor, COLLAB_EDITOR_CSS, type CollabBinding, collabExtensions } from '@collab/editor-binding';
import { type Editor, EditorContent, useEditor } from '@tiptap/react';
import { useEffect, useReducer, useRef, useState } from 'react';
import { PromptDialog } from '../components/dialog';
import { InputProblem } from '../errors/messages';
import { type AuthorColoursOptions, useAuthorColours } from '../history/use-author-colours';
import { FindBar } from './find-bar';
import { countText, findHighlightPlugin } from './find-replace';
import { ShortcutsDialog } from './shortcuts';
import { Toolbar } from './toolbar';

/** Links that may be set from the link dialog (the server's sanitizer allows the same). */
const SAFE_LINK = /^(https?:|mailto:)/i;

/**
 * The rich-text editor bound to one open document: local edits go out as
 * Deltas (each counted, for the status line), remote ones come in without
 * touching the local undo history, and other people's carets are drawn where
 * they are on this copy. Ctrl+K links, Ctrl+F / Ctrl+H find and replace,
 * Ctrl+/ lists the shortcuts.
 */
export function CollabEditor({
  doc,
  editable,
  presence,
  onEdit,
  autoFocus = false,
  authorColours,
  onEditor,
  onComment,
}: {
  doc: CollabDocument;
  editable: boolean;
  presence: ReadonlyMap<string, PresenceState>;
  onEdit: () => void;
  autoFocus?: boolean;
  /** "Show authors": colours the text by who wrote it. */
  authorColours: AuthorColoursOptions;
  /** The Tiptap editor once made (comments draw their highlights in it). */
  onEditor?: (editor: Editor | null) => void;
  /** Comment on the selection: the toolbar button and Ctrl+Alt+M (absent: no comments). */
  onComment?: () => void;
}) {
  const editor = useEditor({
    extensions: collabExtensions(),
    editable,
    editorProps: {
      attributes: {
        class: 'page-body collab-editor',
        'aria-label': 'Document',
        role: 'textbox',
        'aria-multiline': 'true',
        spellcheck: 'true',
      },
    },
  });
  const binding = useRef<CollabBinding | null>(null);
  const [find, setFind] = useState<'find' | 'replace' | null>(null);
  const [linkOpen, setLinkOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const onEditRef = useRef(onEdit);
  onEditRef.current = onEdit;

  useEffect(() => {
    if (!editor) return;
    editor.registerPlugin(findHighlightPlugin());
    const bound = bindEditor(
      editor.view,
      {
        get document() {
          return doc.document;
        },
        // One submit per editor change: that is what the status line counts as an edit.
        submit: (change) => {
          onEditRef.current();
          doc.submit(change);
        },
        setSelection: (selection) => doc.setSelection(selection),
        on: (event, listener) => doc.on(event, listener),
      },
      {
        // Each edit goes out before the editor redraws, not after.
        dispatches: editor,
        onError: (error) => console.warn('a remote change did not fit; the editor was reloaded', error.code),
      },
    );
    binding.current = bound;
    if (autoFocus) editor.commands.focus('start');
    const onBlur = () => bound.blur();
    const onUpdate = () => rerender();
    editor.on('blur', onBlur);
    editor.on('update', onUpdate);
    return () => {
      editor.off('blur', onBlur);
      editor.off('update', onUpdate);
      bound.destroy();
      editor.unregisterPlugin('findHighlight');
      binding.current = null;
    };
  }, [editor, doc, autoFocus]);

  useEffect(() => {
    onEditor?.(editor);
    return () => onEditor?.(null);
  }, [editor, onEditor]);
  const onCommentRef = useRef(onComment);
  onCommentRef.current = onComment;

  // After the binding's effect, so that remote changes reach the editor before they are coloured.
  useAuthorColours(editor, doc, authorColours);

  useEffect(() => {
    editor?.setEditable(editable);
  }, [editor, editable]);

  // Carets: placed on this copy (through edits made since the peer sent it),
  // then kept in place by the editor as the document changes.
  useEffect(() => {
    binding.current?.setPeers(
      [...presence.values()].map((p) => ({
        id: p.sessionId,
        name: p.name,
        color: p.color,
        selection: doc.placePresence(p),
      })),
    );
  }, [presence, doc, editor]);

  // The editor's shortcuts work anywhere on the page (the browser's own find is replaced here).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      // Ctrl+Alt+M: comment (by code: Alt changes the key's character on some layouts).
      if (event.altKey && event.code === 'KeyM' && onCommentRef.current) {
        if (editor && editor.view.dom.offsetParent === null) return;
        event.preventDefault();
        onCommentRef.current();
        return;
      }
      if (event.altKey) return;
      // Not while hidden (a past version is shown in its place): its find bar would open unseen.
      if (editor && editor.view.dom.offsetParent === null) return;
      const key = event.key.toLowerCase();
      const open = (what: () => void) => {
        event.preventDefault();
        what();
      };
      if (key === 'f') open(() => setFind('find'));
      else if (key === 'h') open(() => setFind('replace'));
      else if (key === '/') open(() => setShortcutsOpen(true));
      else if (key === 'k' && editable) open(() => setLinkOpen(true));
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [editor, editable]);

  const setLink = (href: string) => {
    if (!editor) return;
    if (href !== '' && !SAFE_LINK.test(href))
      throw new InputProblem('A link must start with https://, http:// or mailto:');
    const chain = editor.chain().focus().extendMarkRange('link');
    if (href === '') chain.unsetLink().run();
    else if (editor.state.selection.empty && !editor.isActive('link'))
      chain.insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
    else chain.setLink({ href }).run();
  };

  const counts = editor ? countText(editor.state.doc) : null;
  return (
    <>
      {/* Lists, numbering, checkboxes, indents and remote carets of the flat line model. */}
      <style>{COLLAB_EDITOR_CSS}</style>
      {editable && editor && (
        <Toolbar
          editor={editor}
          onLink={() => setLinkOpen(true)}
          onFind={() => setFind('replace')}
          onShortcuts={() => setShortcutsOpen(true)}
          onComment={onComment && (() => onCommentRef.current?.())}
        />
      )}
      {find && editor && (
        <FindBar
          editor={editor}
          canReplace={editable}
          withReplace={find === 'replace'}
          onClose={() => setFind(null)}
        />
      )}
      <div className="page card">
        <EditorContent editor={editor} />
      </div>
      {counts && (
        <p className="word-count muted">
          {counts.words} {counts.words === 1 ? 'word' : 'words'} · {counts.characters}{' '}
          {counts.characters === 1 ? 'character' : 'characters'}
        </p>
      )}
      <PromptDialog
        open={linkOpen}
        onOpenChange={setLinkOpen}
        title="Link"
        label="Link address"
        inputType="url"
        placeholder="https://example.com"
        initial={(editor?.getAttributes('link')['href'] as string | undefined) ?? 'https://'}
        confirm="Apply"
        allowEmpty
        onSubmit={setLink}
      />
      <ShortcutsDialog open={shortcutsOpen} onOpenChange={setShortcutsOpen} />
    </>
  );
}
