import { type Node as PmNode } from '@tiptap/pm/model';
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { type DeltaSelection } from '@collab/ot';
import { indexToPm } from '../convert/positions';

/*
 * Other people's carets and selections, drawn as decorations.
 *
 * The app passes each peer's selection in Delta indexes of the local
 * document (the client SDK places presence through the operations since it
 * was computed). Here they become ProseMirror positions once, and from then
 * on move with every transaction through its mapping, so a caret stays on
 * its character while anyone types, until the next presence update replaces
 * it. A caret does not move forward over text inserted exactly at it (it
 * belongs to whoever typed it), and a selection does not grow over text
 * inserted at its edges: the libs/ot cursor rules.
 */

export type RemotePeer = Readonly<{
  /** Session id: one caret per tab. */
  id: string;
  name: string;
  /** A CSS hex colour (#rgb or #rrggbb); anything else is drawn grey. */
  color: string;
  /** Null when the peer's editor is not focused: no caret is drawn. */
  selection: DeltaSelection | null;
}>;

type PlacedPeer = Readonly<{ peer: RemotePeer; anchor: number; head: number }>;

export type PresenceState = Readonly<{ peers: ReadonlyMap<string, PlacedPeer>; decorations: DecorationSet }>;

export const remotePresenceKey = new PluginKey<PresenceState>('collabRemotePresence');

type PresenceMeta =
  | Readonly<{ kind: 'set'; peers: readonly RemotePeer[] }>
  | Readonly<{ kind: 'upsert'; peer: RemotePeer }>
  | Readonly<{ kind: 'remove'; id: string }>;

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** The colour to draw, never anything but a hex value (it goes into a style attribute). */
export function safeColor(color: string): string {
  return HEX_COLOR.test(color) ? color : '#888888';
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function place(doc: PmNode, peer: RemotePeer): PlacedPeer | null {
  // Presence comes from other clients: anything but two non-negative integers draws nothing.
  const selection = peer.selection;
  if (!selection || !isIndex(selection.anchor) || !isIndex(selection.head)) return null;
  return { peer, anchor: indexToPm(doc, selection.anchor), head: indexToPm(doc, selection.head) };
}

function caretWidget(peer: RemotePeer): (view: unknown) => HTMLElement {
  return () => {
    const caret = document.createElement('span');
    caret.className = 'collab-caret';
    caret.style.borderLeftColor = safeColor(peer.color);
    const label = document.createElement('span');
    label.className = 'collab-caret-label';
    label.style.backgroundColor = safeColor(peer.color);
    label.textContent = peer.name;
    caret.appendChild(label);
    return caret;
  };
}

/** The decorations for these peers: a caret widget at each head, a tinted range for each selection. */
function buildDecorations(doc: PmNode, peers: ReadonlyMap<string, PlacedPeer>): DecorationSet {
  const decorations: Decoration[] = [];
  for (const { peer, anchor, head } of peers.values()) {
    const color = safeColor(peer.color);
    const from = Math.min(anchor, head);
    const to = Math.max(anchor, head);
    if (from < to) {
      decorations.push(
        Decoration.inline(
          from,
          to,
          { class: 'collab-selection', style: `background-color: ${color}33` },
          { peer: peer.id },
        ),
      );
    }
    decorations.push(
      Decoration.widget(head, caretWidget(peer), {
        key: `${peer.id}\u0000${color}\u0000${peer.name}`,
        side: -1,
        peer: peer.id,
        ignoreSelection: true,
      }),
    );
  }
  return DecorationSet.create(doc, decorations);
}

function mapPeers(peers: ReadonlyMap<string, PlacedPeer>, tr: Transaction): Map<string, PlacedPeer> {
  const out = new Map<string, PlacedPeer>();
  for (const [id, placed] of peers) {
    const { anchor, head } = placed;
    let a: number;
    let h: number;
    if (anchor === head) {
      a = h = tr.mapping.map(head, -1);
    } else if (anchor < head) {
      a = tr.mapping.map(anchor, 1);
      h = Math.max(a, tr.mapping.map(head, -1));
    } else {
      h = tr.mapping.map(head, 1);
      a = Math.max(h, tr.mapping.map(anchor, -1));
    }
    out.set(id, { peer: placed.peer, anchor: a, head: h });
  }
  return out;
}

function applyMeta(
  peers: ReadonlyMap<string, PlacedPeer>,
  meta: PresenceMeta,
  doc: PmNode,
): Map<string, PlacedPeer> {
  const out = new Map(meta.kind === 'set' ? [] : peers);
  switch (meta.kind) {
    case 'set':
      for (const peer of meta.peers) {
        const placed = place(doc, peer);
        if (placed) out.set(peer.id, placed);
      }
      return out;
    case 'upsert': {
      const placed = place(doc, meta.peer);
      if (placed) out.set(meta.peer.id, placed);
      else out.delete(meta.peer.id);
      return out;
    }
    case 'remove':
      out.delete(meta.id);
      return out;
  }
}

export function remotePresencePlugin(): Plugin<PresenceState> {
  return new Plugin<PresenceState>({
    key: remotePresenceKey,
    state: {
      init: () => ({ peers: new Map(), decorations: DecorationSet.empty }),
      apply: (tr, value) => {
        const meta = tr.getMeta(remotePresenceKey) as PresenceMeta | undefined;
        if (!meta && !tr.docChanged) return value;
        let peers: ReadonlyMap<string, PlacedPeer> = tr.docChanged ? mapPeers(value.peers, tr) : value.peers;
        if (meta) peers = applyMeta(peers, meta, tr.doc);
        return { peers, decorations: buildDecorations(tr.doc, peers) };
      },
    },
    props: {
      decorations: (state) => remotePresenceKey.getState(state)?.decorations,
    },
  });
}

/** A transaction replacing all peers (for a full presence list, e.g. after joining). */
export function setPeers(state: EditorState, peers: readonly RemotePeer[]): Transaction {
  return state.tr
    .setMeta(remotePresenceKey, { kind: 'set', peers } satisfies PresenceMeta)
    .setMeta('addToHistory', false);
}

/** A transaction adding or moving one peer's caret (a null selection hides it). */
export function upsertPeer(state: EditorState, peer: RemotePeer): Transaction {
  return state.tr
    .setMeta(remotePresenceKey, { kind: 'upsert', peer } satisfies PresenceMeta)
    .setMeta('addToHistory', false);
}

/** A transaction removing a peer who left. */
export function removePeer(state: EditorState, id: string): Transaction {
  return state.tr
    .setMeta(remotePresenceKey, { kind: 'remove', id } satisfies PresenceMeta)
    .setMeta('addToHistory', false);
}

/** The peers' current selections as ProseMirror positions (for tests and custom rendering). */
export function peerPositions(state: EditorState): { id: string; anchor: number; head: number }[] {
  const value = remotePresenceKey.getState(state);
  return value
    ? [...value.peers.values()].map(({ peer, anchor, head }) => ({ id: peer.id, anchor, head }))
    : [];
}
