import type { Collaborator, CommentDto, CommentThreadDto } from '@collab/contracts';
import type { StoredChange } from './pending-changes';
import { withPending } from './pending-view';

const ada: Collaborator = { userId: '00000000-0000-4000-8000-00000000000a', name: 'Ada', color: '#123456' };
const comment = (id: string, body: string): CommentDto => ({
  id,
  threadId: 't1',
  author: ada,
  body,
  mentions: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  editedAt: null,
});
const thread: CommentThreadDto = {
  id: 't1',
  docId: 'd1',
  anchor: { from: 0, to: 4, version: 1, detached: false },
  quotedText: 'Text',
  createdBy: ada,
  createdAt: '2026-01-01T00:00:00.000Z',
  resolvedAt: null,
  resolvedBy: null,
  comments: [comment('c1', 'first'), comment('c2', 'second')],
};
const base = { docId: 'd1', threadId: 't1', savedAt: Date.UTC(2026, 0, 2) };

describe('withPending', () => {
  it('is the server list as it is without pending changes', () => {
    expect(withPending([thread], [], ada)).toEqual([thread]);
  });

  it('shows a pending reply, edit and resolve, each marked pending, in order', () => {
    const pending: StoredChange[] = [
      { ...base, seq: 1, kind: 'reply', commentId: 'c3', body: 'third', mentions: [] },
      { ...base, seq: 2, kind: 'edit', commentId: 'c3', body: 'third, edited', mentions: [] },
      { ...base, seq: 3, kind: 'edit', commentId: 'c1', body: 'first, edited', mentions: [] },
      { ...base, seq: 4, kind: 'resolve' },
    ];
    const [shown] = withPending([thread], pending, ada);
    expect(shown).toMatchObject({ pending: true, resolvedAt: '2026-01-02T00:00:00.000Z', resolvedBy: ada });
    expect(shown!.comments.map((c) => [c.body, c.pending ?? false, c.editedAt !== null])).toEqual([
      ['first, edited', true, true],
      ['second', false, false],
      ['third, edited', true, true],
    ]);
  });

  it('hides a comment whose deletion is pending, and the thread with its last comment', () => {
    const one: StoredChange[] = [{ ...base, seq: 1, kind: 'delete', commentId: 'c1' }];
    expect(withPending([thread], one, ada)[0]!.comments.map((c) => c.id)).toEqual(['c2']);
    const both: StoredChange[] = [...one, { ...base, seq: 2, kind: 'delete', commentId: 'c2' }];
    expect(withPending([thread], both, ada)).toEqual([]);
  });

  it('adds a thread not stored yet, marked unsent, with its pending reply and resolve', () => {
    const t2 = { ...base, threadId: 't2' };
    const pending: StoredChange[] = [
      {
        ...t2,
        seq: 1,
        kind: 'thread',
        commentId: 'c5',
        anchor: { from: 1, to: 3, version: 7 },
        quote: 'ex',
        body: 'new',
        mentions: [],
      },
      { ...t2, seq: 2, kind: 'reply', commentId: 'c6', body: 'more', mentions: [] },
      { ...t2, seq: 3, kind: 'resolve' },
    ];
    const shown = withPending([thread], pending, ada);
    expect(shown.map((t) => t.id)).toEqual(['t1', 't2']);
    expect(shown[1]).toMatchObject({
      unsent: true,
      pending: true,
      anchor: { from: 1, to: 3, version: 7, detached: false },
      quotedText: 'ex',
      createdBy: ada,
      resolvedBy: ada,
    });
    expect(shown[1]!.comments.map((c) => [c.id, c.body, c.pending])).toEqual([
      ['c5', 'new', true],
      ['c6', 'more', true],
    ]);
    // Once the server lists it, the server's thread is shown.
    const stored = { ...thread, id: 't2' };
    expect(withPending([stored], pending.slice(0, 1), ada)).toEqual([stored]);
  });

  it('shows a pending reopen, and ignores changes of threads it does not list', () => {
    const resolved = { ...thread, resolvedAt: '2026-01-01T01:00:00.000Z', resolvedBy: ada };
    const pending: StoredChange[] = [
      { ...base, seq: 1, kind: 'reopen' },
      { ...base, seq: 2, threadId: 't9', kind: 'resolve' },
    ];
    expect(withPending([resolved], pending, ada)).toEqual([
      { ...resolved, resolvedAt: null, resolvedBy: null, pending: true },
    ]);
  });
});
