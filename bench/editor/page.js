// The page bench/editor/run.mjs loads. Three Tiptap editors on the same
// document, driven through window.bench:
//
//   binding              collabExtensions() bound with bindEditor(), as apps/web
//                        does, to a stand-in for the SDK's CollabDocument that
//                        records outgoing Deltas and emits remote ones;
//   tiptap_commands      the same document model (collabExtensions() without the
//                        binding's four plugins: typed text, sync, collaborative
//                        history, presence), changed through Tiptap's commands;
//   tiptap_transaction   the same, changed by a bare ProseMirror transaction
//                        dispatched to the view (the floor under both).
//
// A remote change is then the same edit three ways: a Delta through the SDK's
// 'remote' event (the binding parses it, maps Delta indexes to positions,
// builds the steps, moves the caret, rebases the undo stack), or a Tiptap call
// given the ProseMirror positions, which are computed before the clock starts.
import { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import Delta from 'quill-delta';
import {
  bindEditor,
  COLLAB_EDITOR_CSS,
  collabExtensions,
  docToDelta,
  indexToPm,
} from '@collab/editor-binding';

const now = () => performance.now();

/** The extensions that exist only for the binding; the Tiptap editors go without them. */
const BINDING_ONLY = new Set(['typedText', 'collabSync', 'collabHistory', 'collabRemotePresence']);
const PATHS = ['binding', 'tiptap_commands', 'tiptap_transaction'];

/**
 * Runs `work` at the start of a frame (in a requestAnimationFrame callback)
 * and resolves with the time `work` took (it returns when its part ended) and
 * the time until that frame's rendering is done: the callback is followed by
 * style, layout and paint of the same frame, and a task posted from it runs
 * only after them. Waiting for the frame itself is not counted.
 */
function inFrame(work) {
  return new Promise((resolve) =>
    requestAnimationFrame(() => {
      const start = now();
      const applied = work() ?? start;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve({ apply: applied - start, frame: now() - start });
      channel.port2.postMessage(null);
    }),
  );
}

/** What bindEditor needs from libs/client's CollabDocument; submit() marks when the Delta left. */
class StandInDocument {
  constructor(content) {
    this.document = new Delta().insert(content);
    this.listeners = new Set();
    this.submitted = [];
    this.lastSubmitAt = 0;
  }
  submit(change) {
    this.lastSubmitAt = now();
    this.submitted.push(change);
  }
  setSelection() {}
  on(event, listener) {
    if (event !== 'remote') return () => undefined;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emitRemote(change) {
    for (const listener of this.listeners) listener(change);
  }
}

const editors = {};
let doc;
let keystrokeStartedAt = 0;

function mount(id, extensions, content) {
  const element = document.createElement('div');
  element.className = 'bench-page';
  element.id = id;
  document.body.append(element);
  return new Editor({
    element,
    extensions,
    content,
    editorProps: { attributes: { class: 'collab-editor' } },
  });
}

/** The change as the SDK hands it over: a Delta on the document before it. */
function toDelta({ kind, index, text }) {
  const delta = new Delta();
  if (index > 0) delta.retain(index);
  if (kind === 'insert') return delta.insert(text);
  if (kind === 'delete') return delta.delete(1);
  return delta.retain(1, { bold: true });
}

/**
 * The ProseMirror range of the one character at Delta index `index` (a
 * "\n" spans the end of its line and the start of the next one). Computed
 * untimed: positions are what a Tiptap caller already has.
 */
function rangeOf(editor, index) {
  const pmDoc = editor.state.doc;
  return { from: indexToPm(pmDoc, index), to: indexToPm(pmDoc, index + 1) };
}

/**
 * The same change through Tiptap's commands. Each leaves the local caret
 * where it was, as a remote change must. Tiptap has no command that splits a
 * line at a given position (splitBlock works at the selection), so "\n" is
 * its generic `command` running ProseMirror's tr.split there.
 */
function viaCommands(editor, { kind, text }, { from, to }) {
  if (kind === 'insert') {
    if (text === '\n') return editor.commands.command(({ tr }) => (tr.split(from), true));
    return editor.commands.insertContentAt(from, { type: 'text', text }, { updateSelection: false });
  }
  if (kind === 'delete') return editor.commands.deleteRange({ from, to });
  const { anchor, head } = editor.state.selection;
  return editor
    .chain()
    .setTextSelection({ from, to })
    .setMark('bold')
    .setTextSelection({ from: anchor, to: head })
    .run();
}

/** The same change as one bare transaction dispatched to the view. */
function viaTransaction(editor, { kind, text }, { from, to }) {
  const { state } = editor.view;
  const tr =
    kind === 'insert'
      ? text === '\n'
        ? state.tr.split(from)
        : state.tr.insertText(text, from)
      : kind === 'delete'
        ? state.tr.delete(from, to)
        : state.tr.addMark(from, to, state.schema.marks.bold.create());
  editor.view.dispatch(tr);
}

/** Work for one sample on one path: prepared untimed, the returned function is the timed call. */
function prepare(path, change) {
  if (path === 'binding') {
    const delta = toDelta(change);
    return () => doc.emitRemote(delta);
  }
  const editor = editors[path];
  const range = rangeOf(editor, change.index);
  return path === 'tiptap_commands'
    ? () => viaCommands(editor, change, range)
    : () => viaTransaction(editor, change, range);
}

function caretAt(editor, index) {
  const view = editor.view;
  const pos = indexToPm(view.state.doc, index);
  view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, pos)));
}

window.bench = {
  paths: PATHS,

  /** Loads `content` (ending in "\n") into a fresh bound editor. */
  setup(content) {
    const style = document.createElement('style');
    style.textContent = COLLAB_EDITOR_CSS;
    document.head.append(style);
    editors.binding = mount('binding', collabExtensions());
    doc = new StandInDocument(content);
    bindEditor(editors.binding.view, doc, {
      // As apps/web binds it: each edit is submitted before the editor redraws.
      dispatches: editors.binding,
      onError: (e) => console.error('remote change did not fit', e.code),
    });
    const view = editors.binding.view;
    // A keystroke starts at its keydown, before any handler of the editor.
    view.dom.addEventListener('keydown', () => (keystrokeStartedAt = now()), { capture: true });
    view.focus();
    const state = editors.binding.state;
    return { lines: state.doc.childCount, length: docToDelta(state.doc).length() };
  },

  /**
   * Adds the two Tiptap editors holding the bound editor's current document,
   * and puts every caret at Delta index `caret`. The bound editor loses the
   * focus: no editor has it while remote changes arrive, so none of them
   * places a DOM selection.
   */
  addTiptapEditors(caret) {
    const tiptapExtensions = collabExtensions().filter((e) => !BINDING_ONLY.has(e.name));
    const content = editors.binding.state.doc.toJSON();
    editors.tiptap_commands = mount('tiptap-commands', tiptapExtensions, content);
    editors.tiptap_transaction = mount('tiptap-transaction', tiptapExtensions, content);
    editors.binding.view.dom.blur();
    for (const path of PATHS) caretAt(editors[path], caret);
    doc.submitted.length = 0;
  },

  /** Puts the bound editor's caret at a Delta index (untimed), before the next real keystroke. */
  caretAt(index) {
    caretAt(editors.binding, index);
    keystrokeStartedAt = 0;
    doc.lastSubmitAt = 0;
    doc.submitted.length = 0;
  },

  /** The last keystroke: keydown to the outgoing Delta, and how many Deltas it produced. */
  lastKeystroke() {
    return {
      ms: doc.lastSubmitAt && keystrokeStartedAt ? doc.lastSubmitAt - keystrokeStartedAt : null,
      deltas: doc.submitted.length,
    };
  },

  /**
   * Applies each change on every path, each in a frame of its own and
   * measured from the call (at the start of the frame) to the end of its
   * synchronous dispatch, DOM updated (`apply`), and to the end of that
   * frame's style, layout and paint (`frame`). The paths take turns in a
   * rotating order, so a slow moment of the machine falls on all of them.
   */
  async remote(changes) {
    const out = Object.fromEntries(PATHS.map((p) => [p, { apply: [], frame: [] }]));
    for (let i = 0; i < changes.length; i++) {
      for (let k = 0; k < PATHS.length; k++) {
        const path = PATHS[(i + k) % PATHS.length];
        const call = prepare(path, changes[i]);
        const timing = await inFrame(() => {
          call();
          return now();
        });
        out[path].apply.push(timing.apply);
        out[path].frame.push(timing.frame);
      }
    }
    if (doc.submitted.length > 0) throw new Error('the binding sent a remote change back');
    return out;
  },

  /** The same measure with nothing changed: the floor under `frame`. */
  async idleFrames(count) {
    const frames = [];
    for (let i = 0; i < count; i++) frames.push((await inFrame(() => undefined)).frame);
    return frames;
  },

  /** One editor's document as a Delta's ops (lines joined by "\n", with the final "\n"). */
  ops(path = 'binding') {
    return docToDelta(editors[path].state.doc).ops;
  },
};
