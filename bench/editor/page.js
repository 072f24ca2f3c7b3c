// The page bench/editor/run.mjs loads: a Tiptap editor built with
// collabExtensions() and bound with bindEditor(), as apps/web does, to a
// stand-in for the SDK's CollabDocument that records outgoing Deltas and
// emits remote ones. run.mjs drives it through window.bench.
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

/**
 * Runs `work` at the start of a frame (in a requestAnimationFrame callback)
 * and resolves with the time from then until that frame's rendering is done:
 * the callback is followed by style, layout and paint of the same frame, and
 * a task posted from it runs only after them. Waiting for the frame itself
 * (up to a vsync interval) is not the editor's cost and is not counted.
 */
function inFrame(work) {
  return new Promise((resolve) =>
    requestAnimationFrame(() => {
      const start = now();
      const applied = work() ?? start;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve({ apply: applied - start, screen: now() - start });
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

let editor;
let doc;
let binding;
let keystrokeStartedAt = 0;

window.bench = {
  /** Loads `content` (ending in "\n") into a fresh editor. */
  setup(content) {
    binding?.destroy();
    editor?.destroy();
    const style = document.createElement('style');
    style.textContent = COLLAB_EDITOR_CSS;
    document.head.append(style);
    editor = new Editor({
      element: document.getElementById('editor'),
      extensions: collabExtensions(),
      editorProps: { attributes: { class: 'collab-editor' } },
    });
    doc = new StandInDocument(content);
    binding = bindEditor(editor.view, doc, {
      // As apps/web binds it: each edit is submitted before the editor redraws.
      dispatches: editor,
      onError: (e) => console.error('remote change did not fit', e.code),
    });
    // A keystroke starts at its keydown, before any handler of the editor.
    editor.view.dom.addEventListener('keydown', () => (keystrokeStartedAt = now()), { capture: true });
    editor.view.focus();
    return { lines: editor.state.doc.childCount, length: docToDelta(editor.state.doc).length() };
  },

  /** Puts the caret at a Delta index (untimed), before the next real keystroke. */
  caretAt(index) {
    const view = editor.view;
    const pos = indexToPm(view.state.doc, index);
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, pos)));
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
   * Applies remote Deltas one per frame, each measured from its arrival at
   * the start of a frame to the binding's transaction applied with the DOM
   * updated (`apply`) and to the end of that frame's style, layout and paint
   * (`screen`).
   */
  async remote(changes) {
    const apply = [];
    const screen = [];
    for (const ops of changes) {
      const change = new Delta(ops);
      const timing = await inFrame(() => {
        doc.emitRemote(change);
        return now();
      });
      apply.push(timing.apply);
      screen.push(timing.screen);
    }
    return { apply, screen };
  },

  /** The same measure with nothing changed: the floor under `screen`. */
  async idleFrames(count) {
    const frames = [];
    for (let i = 0; i < count; i++) frames.push((await inFrame(() => undefined)).screen);
    return frames;
  },

  /** The editor's text in the Delta model (lines joined by "\n", with the final "\n"). */
  text() {
    return docToDelta(editor.state.doc)
      .ops.map((op) => (typeof op.insert === 'string' ? op.insert : ''))
      .join('');
  },
};
