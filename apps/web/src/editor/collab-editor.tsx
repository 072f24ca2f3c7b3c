import type { CollabDocument } from '@collab/client';
import type { PresenceState } from '@collab/contracts';
import { bindEditor, COLLAB_EDITOR_CSS, type CollabBinding, collabExtensions } from '@collab/editor-binding';
import { EditorContent, useEditor } from '@tiptap/react';
import { useEffect, useRef } from 'react';
import { Toolbar } from './toolbar';

/**
 * The rich-text editor bound to one open document: local edits go out as
 * Deltas, remote ones come in without touching the local undo history, and
 * other people's carets are drawn where they are on this copy.
 */
export function CollabEditor({
  doc,
  editable,
  presence,
}: {
  doc: CollabDocument;
  editable: boolean;
  presence: ReadonlyMap<string, PresenceState>;
}) {
  const editor = useEditor({
    extensions: collabExtensions(),
    editable,
    editorProps: {
      attributes: { class: 'page-body collab-editor', 'aria-label': 'Document', spellcheck: 'true' },
    },
  });
  const binding = useRef<CollabBinding | null>(null);

  useEffect(() => {
    if (!editor) return;
    const bound = bindEditor(editor.view, doc, {
      // Each edit goes out before the editor redraws, not after.
      dispatches: editor,
      onError: (error) => console.warn('a remote change did not fit; the editor was reloaded', error.code),
    });
    binding.current = bound;
    const onBlur = () => bound.blur();
    editor.on('blur', onBlur);
    return () => {
      editor.off('blur', onBlur);
      bound.destroy();
      binding.current = null;
    };
  }, [editor, doc]);

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

  return (
    <>
      {/* Lists, numbering, checkboxes, indents and remote carets of the flat line model. */}
      <style>{COLLAB_EDITOR_CSS}</style>
      {editable && editor && <Toolbar editor={editor} />}
      <div className="page card">
        {!editable && <p className="read-only-note">View only</p>}
        <EditorContent editor={editor} />
      </div>
    </>
  );
}
