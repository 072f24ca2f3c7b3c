import { type Node as PmNode, type Schema } from '@tiptap/pm/model';
import { EditorState, type Transaction } from '@tiptap/pm/state';
import { getSchema } from '@tiptap/core';
import Delta from 'quill-delta';
import { collabExtensions } from '../src/schema/collab-extensions';
import { collabSyncPlugin, notifyUpdate } from '../src/binding/collab-sync';
import { collabHistoryPlugin, type CollabHistoryOptions } from '../src/history/collab-history';
import { remotePresencePlugin } from '../src/presence/remote-presence';
import { deltaToDoc } from '../src/convert/delta-to-doc';

/** The schema of collabExtensions(), built once (as the web app's editor builds it). */
export const schema: Schema = getSchema(collabExtensions());

/** The editor document of a Delta document; throws on an invalid one (a test bug). */
export function docOf(delta: Delta | Delta['ops']): PmNode {
  const result = deltaToDoc(schema, Array.isArray(delta) ? new Delta(delta) : delta);
  if (!result.ok) throw new Error(`invalid test document: ${result.code} ${result.message}`);
  return result.value;
}

/**
 * An EditorState with the binding's own plugins (sync filter, collaborative
 * history, presence), as an editor made from collabExtensions() has them. The
 * Tiptap keymaps and input rules need a view and are not involved here.
 */
export function stateOf(
  delta: Delta | Delta['ops'],
  history: Partial<CollabHistoryOptions> = {},
): EditorState {
  return EditorState.create({
    schema,
    doc: docOf(delta),
    plugins: [collabSyncPlugin(), collabHistoryPlugin(history), remotePresencePlugin()],
  });
}

/**
 * A minimal host (what bindEditor needs from an EditorView): applies each
 * transaction and notifies the binding the way the sync plugin's view does.
 */
export class TestHost {
  constructor(public state: EditorState) {}
  readonly applied: Transaction[] = [];

  dispatch(tr: Transaction): void {
    const previous = this.state;
    const { state, transactions } = previous.applyTransaction(tr);
    this.state = state;
    this.applied.push(...transactions);
    notifyUpdate(this, previous);
  }
}

type BeforeListener = (props: { nextState: EditorState }) => void;

/**
 * A host that also tells of each dispatch before its update, as Tiptap's
 * Editor does ('beforeTransaction', with the computed next state, before
 * view.updateState). `updates` records the order of events.
 */
export class EarlyTellingHost extends TestHost {
  private readonly before = new Set<BeforeListener>();
  readonly events: string[] = [];

  on(_event: 'beforeTransaction', listener: BeforeListener): void {
    this.before.add(listener);
  }

  off(_event: 'beforeTransaction', listener: BeforeListener): void {
    this.before.delete(listener);
  }

  override dispatch(tr: Transaction): void {
    const previous = this.state;
    const { state, transactions } = previous.applyTransaction(tr);
    this.events.push('before');
    for (const listener of this.before) listener({ nextState: state });
    if (!transactions.includes(tr)) return; // filtered out: no update, as in Tiptap
    this.state = state;
    this.applied.push(...transactions);
    this.events.push('update');
    notifyUpdate(this, previous);
  }
}
