import fc from 'fast-check';
import Delta from 'quill-delta';
import { Plugin, TextSelection } from '@tiptap/pm/state';
import { arbDocument } from '../../ot/test/arbitraries';
import { bindEditor, type CollabDocumentLike } from '../src/binding/bind-editor';
import { docToDelta } from '../src/convert/doc-to-delta';
import { indexToPm } from '../src/convert/positions';
import { redo, undo } from '../src/history/collab-history';
import { peerPositions } from '../src/presence/remote-presence';
import { EarlyTellingHost, stateOf, TestHost } from './editor-fixture';
import { sendOne, SimServer, simClient, type SimClient } from './collab-sim';
import { arbLocalEdit, localEditTransaction, type LocalEdit } from './local-edits';

class FakeDocument implements CollabDocumentLike {
  readonly submitted: Delta[] = [];
  /** Called on each submit (to observe when it happens). */
  onSubmit: () => void = () => undefined;
  readonly selections: unknown[] = [];
  private listener: ((change: Delta) => void) | null = null;
  constructor(public document: Delta) {}
  submit(change: Delta): void {
    this.onSubmit();
    this.submitted.push(change);
    this.document = this.document.compose(change);
  }
  setSelection(selection: unknown): void {
    this.selections.push(selection);
  }
  on(_event: 'remote', listener: (change: Delta) => void): () => void {
    this.listener = listener;
    return () => (this.listener = null);
  }
  /** A remote change; `document` overrides the SDK's document after it (to model a divergence). */
  remote(change: Delta, document = this.document.compose(change)): void {
    this.document = document;
    this.listener?.(change);
  }
}

function caretAt(host: TestHost, index: number): void {
  host.dispatch(
    host.state.tr.setSelection(TextSelection.create(host.state.doc, indexToPm(host.state.doc, index))),
  );
}

describe('bindEditor', () => {
  it('loads the document, submits each local edit once, applies remote ones, shares the selection', () => {
    const doc = new FakeDocument(new Delta().insert('Hello').insert('\n', { header: 1 }).insert('world\n'));
    const host = new TestHost(stateOf([{ insert: '\n' }]));
    const binding = bindEditor(host, doc);
    expect(docToDelta(host.state.doc)).toEqual(doc.document);
    expect(doc.submitted).toHaveLength(0);

    caretAt(host, 5);
    expect(doc.selections.at(-1)).toEqual({ anchor: 5, head: 5 });
    host.dispatch(host.state.tr.insertText('!'));
    expect(doc.submitted).toEqual([new Delta().retain(5).insert('!')]);
    expect(doc.selections.at(-1)).toEqual({ anchor: 6, head: 6 });

    const sentBefore = doc.selections.length;
    doc.remote(new Delta().insert('>> '));
    expect(docToDelta(host.state.doc)).toEqual(doc.document);
    // Others' edits moved my caret, but I did not move it: nothing is sent, nothing is submitted.
    expect(doc.selections).toHaveLength(sentBefore);
    expect(doc.submitted).toHaveLength(1);
    expect(host.state.selection.head).toBe(indexToPm(host.state.doc, 9));

    binding.blur();
    expect(doc.selections.at(-1)).toBeNull();
    binding.destroy();
    doc.remote(new Delta().insert('ignored '));
    expect(docToDelta(host.state.doc)).not.toEqual(doc.document);
  });

  it('with a dispatch source, submits each local edit once, before the view updates', () => {
    const doc = new FakeDocument(new Delta().insert('Hello\n'));
    const host = new EarlyTellingHost(stateOf([{ insert: '\n' }]));
    const binding = bindEditor(host, doc, { dispatches: host });
    doc.onSubmit = () => host.events.push('submit');
    caretAt(host, 5);
    host.events.length = 0;
    host.dispatch(host.state.tr.insertText('!'));
    expect(host.events).toEqual(['before', 'submit', 'update']);
    expect(doc.submitted).toEqual([new Delta().retain(5).insert('!')]);
    // A transaction the sync plugin refuses (a newline inside a line) is neither shown nor sent.
    host.dispatch(host.state.tr.insertText('a\nb'));
    expect(doc.submitted).toHaveLength(1);
    expect(docToDelta(host.state.doc)).toEqual(new Delta().insert('Hello!\n'));
    // Remote changes are never sent back.
    doc.remote(new Delta().insert('>> '));
    expect(doc.submitted).toHaveLength(1);
    expect(docToDelta(host.state.doc)).toEqual(doc.document);

    binding.destroy();
    host.dispatch(host.state.tr.insertText('?'));
    expect(doc.submitted).toHaveLength(1);
  });

  it('sends undo and redo as ordinary edits, and undo leaves remote text alone', () => {
    const doc = new FakeDocument(new Delta().insert('\n'));
    const host = new TestHost(stateOf([{ insert: '\n' }], { groupDelay: 0 }));
    bindEditor(host, doc);
    host.dispatch(host.state.tr.insertText('mine'));
    doc.remote(new Delta().retain(2).insert('THEIRS'));
    expect(doc.document).toEqual(new Delta().insert('miTHEIRSne\n'));
    expect(undo(host.state, (tr) => host.dispatch(tr))).toBe(true);
    expect(docToDelta(host.state.doc)).toEqual(new Delta().insert('THEIRS\n'));
    expect(doc.document).toEqual(docToDelta(host.state.doc));
    expect(redo(host.state, (tr) => host.dispatch(tr))).toBe(true);
    expect(doc.document).toEqual(new Delta().insert('miTHEIRSne\n'));
    expect(docToDelta(host.state.doc)).toEqual(doc.document);
  });

  it('reloads from the SDK and reports when a remote change does not fit', () => {
    const doc = new FakeDocument(new Delta().insert('abc\n'));
    const host = new TestHost(stateOf([{ insert: '\n' }]));
    const errors: string[] = [];
    bindEditor(host, doc, { onError: (e) => errors.push(e.code) });
    // The SDK holds a change the editor cannot take: the editor reloads from the SDK.
    doc.remote(new Delta().retain(10).insert('x'), new Delta().insert('abc and more\n'));
    expect(errors).toEqual(['OP_OUT_OF_RANGE']);
    expect(docToDelta(host.state.doc)).toEqual(new Delta().insert('abc and more\n'));
    // An SDK document that is no document: reported twice, the editor stays as it was.
    doc.remote(new Delta().retain(20).insert('x'), new Delta().insert('no newline'));
    expect(errors).toEqual(['OP_OUT_OF_RANGE', 'OP_OUT_OF_RANGE', 'MISSING_FINAL_NEWLINE']);
    expect(docToDelta(host.state.doc)).toEqual(new Delta().insert('abc and more\n'));
    expect(() =>
      bindEditor(new TestHost(stateOf([{ insert: '\n' }])), new FakeDocument(new Delta().insert('x'))),
    ).toThrow(/MISSING_FINAL_NEWLINE/);
  });

  it('draws peers at their places and moves them with edits', () => {
    const doc = new FakeDocument(new Delta().insert('abcdef\n'));
    const host = new TestHost(stateOf([{ insert: '\n' }]));
    const binding = bindEditor(host, doc);
    binding.setPeers([
      { id: 'p1', name: 'Ada', color: '#ff0000', selection: { anchor: 2, head: 2 } },
      { id: 'p2', name: 'Bob', color: 'red;background:url(x)', selection: { anchor: 1, head: 4 } },
      { id: 'p3', name: 'Cy', color: '#00f', selection: null },
    ]);
    const at = (i: number) => indexToPm(host.state.doc, i);
    expect(peerPositions(host.state)).toEqual([
      { id: 'p1', anchor: at(2), head: at(2) },
      { id: 'p2', anchor: at(1), head: at(4) },
    ]);
    // Text typed exactly at a peer's caret or at a selection edge stays outside.
    caretAt(host, 2);
    host.dispatch(host.state.tr.insertText('XY'));
    caretAt(host, 6);
    host.dispatch(host.state.tr.insertText('Z'));
    expect(peerPositions(host.state)).toEqual([
      { id: 'p1', anchor: at(2), head: at(2) },
      { id: 'p2', anchor: at(1), head: at(6) },
    ]);
    binding.updatePeer({ id: 'p1', name: 'Ada', color: '#ff0000', selection: { anchor: 0, head: 0 } });
    binding.removePeer('p2');
    binding.updatePeer({ id: 'p4', name: 'Eve', color: '#000', selection: { anchor: Number.NaN, head: -1 } });
    expect(peerPositions(host.state)).toEqual([{ id: 'p1', anchor: at(0), head: at(0) }]);
  });
});

type SimAction =
  | { kind: 'edit'; client: number; edit: LocalEdit }
  | { kind: 'undo' | 'redo' | 'send' | 'deliver'; client: number };

const arbSimAction = (clients: number): fc.Arbitrary<SimAction> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('edit' as const),
        client: fc.nat(clients - 1),
        edit: arbLocalEdit(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constantFrom('undo' as const, 'redo' as const),
        client: fc.nat(clients - 1),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constantFrom('send' as const, 'deliver' as const),
        client: fc.nat(clients - 1),
      }),
    },
  );

function settle(server: SimServer, clients: SimClient[]): void {
  for (let busy = true; busy;) {
    busy = false;
    for (const c of clients) {
      if (c.doc.outbox.length > 0) {
        sendOne(server, c, clients);
        busy = true;
      }
      if (c.doc.inbox.length > 0) {
        c.doc.deliverOne();
        busy = true;
      }
    }
  }
}

describe('editors bound to the OT client converge', () => {
  it('random concurrent edits, undos and deliveries: every editor shows its SDK document, and all end equal', () => {
    fc.assert(
      fc.property(
        arbDocument({ maxPieces: 6 }),
        fc.array(arbSimAction(3), { minLength: 1, maxLength: 30 }),
        (initial, actions) => {
          const server = new SimServer(initial);
          const clients = [simClient('a', server), simClient('b', server), simClient('c', server)];
          for (const action of actions) {
            const client = clients[action.client];
            switch (action.kind) {
              case 'edit': {
                const tr = localEditTransaction(client.host.state, action.edit);
                if (tr) client.host.dispatch(tr);
                break;
              }
              case 'undo':
                undo(client.host.state, (tr) => client.host.dispatch(tr));
                break;
              case 'redo':
                redo(client.host.state, (tr) => client.host.dispatch(tr));
                break;
              case 'send':
                sendOne(server, client, clients);
                break;
              case 'deliver':
                client.doc.deliverOne();
                break;
            }
            // The binding keeps the editor exactly on the SDK's local document at every step.
            expect(docToDelta(client.host.state.doc)).toEqual(client.doc.document);
          }
          settle(server, clients);
          for (const c of clients) {
            expect(c.doc.pending).toBe(0);
            expect(docToDelta(c.host.state.doc)).toEqual(server.document);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('one dispatch, one Delta', () => {
  it('composes transactions other plugins append (autolink, input rules) into the submitted change', () => {
    // A plugin in the style of Tiptap's autolink: after typing, it formats what was typed.
    const boldTyped = new Plugin({
      appendTransaction: (trs, _old, state) => {
        const typed = trs.find((tr) => tr.docChanged && !tr.getMeta('collabDelta'));
        if (!typed || state.doc.textContent.indexOf('!') < 0) return null;
        return state.tr.addMark(1, state.doc.firstChild!.content.size + 1, state.schema.marks.bold.create());
      },
    });
    const base = stateOf([{ insert: '\n' }]);
    const host = new TestHost(base.reconfigure({ plugins: [...base.plugins, boldTyped] }));
    const doc = new FakeDocument(new Delta().insert('hi\n'));
    bindEditor(host, doc);
    caretAt(host, 2);
    host.dispatch(host.state.tr.insertText('!'));
    expect(doc.submitted).toEqual([new Delta().retain(2, { bold: true }).insert('!', { bold: true })]);
    expect(docToDelta(host.state.doc)).toEqual(doc.document);
  });
});
