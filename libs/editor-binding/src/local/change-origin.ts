import { type Transaction } from '@tiptap/pm/state';
import type Delta from 'quill-delta';

/**
 * Where a transaction built from a Delta comes from. Such transactions carry
 * their Delta as metadata, so nobody maps their steps back:
 * - `remote`: somebody else's committed edit; never sent, never undone;
 * - `load`: the whole document replaced (first load, resync); never sent,
 *   and it empties the undo history;
 * - `undo` / `redo`: this user's own edit, sent like typing.
 */
export const ChangeOrigin = { remote: 'remote', load: 'load', undo: 'undo', redo: 'redo' } as const;
export type ChangeOrigin = (typeof ChangeOrigin)[keyof typeof ChangeOrigin];

export type DeltaMeta = Readonly<{ origin: ChangeOrigin; delta: Delta }>;

const META = 'collabDelta';

export function setDeltaMeta(tr: Transaction, meta: DeltaMeta): Transaction {
  return tr.setMeta(META, meta);
}

export function getDeltaMeta(tr: Transaction): DeltaMeta | undefined {
  return tr.getMeta(META) as DeltaMeta | undefined;
}

/** True for a transaction that is not this user's edit (remote, or a document load). */
export function isForeign(tr: Transaction): boolean {
  const origin = getDeltaMeta(tr)?.origin;
  return origin === ChangeOrigin.remote || origin === ChangeOrigin.load;
}
