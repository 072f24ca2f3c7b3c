import 'fake-indexeddb/auto';
import type { CommentThreadDto } from '@collab/contracts';
import { openDB } from 'idb';
import { deviceCopy, ThreadCache, throttledWriter } from './thread-cache';

const ada = { userId: '11111111-1111-4111-8111-111111111111', name: 'Ada', color: '#1f77b4' };
const thread: CommentThreadDto = {
  id: '22222222-2222-4222-8222-222222222222',
  docId: '33333333-3333-4333-8333-333333333333',
  anchor: { from: 2, to: 6, version: 7, detached: false },
  quotedText: 'word',
  createdBy: ada,
  createdAt: '2026-12-07T10:00:00.000Z',
  resolvedAt: null,
  resolvedBy: null,
  comments: [
    {
      id: '44444444-4444-4444-8444-444444444444',
      threadId: '22222222-2222-4222-8222-222222222222',
      author: ada,
      body: 'Is this right?',
      mentions: [],
      createdAt: '2026-12-07T10:00:00.000Z',
      editedAt: null,
    },
  ],
};
const entry = { userId: ada.userId, docId: thread.docId, version: 7, threads: [thread], savedAt: 1 };

describe('ThreadCache', () => {
  let cache: ThreadCache;
  beforeEach(async () => {
    cache = await ThreadCache.open();
  });
  afterEach(() => cache.close());

  it('gives back the threads a user last had of a document', async () => {
    await cache.write(entry);
    expect(await cache.read(ada.userId, thread.docId)).toEqual(entry);
    await cache.write({ ...entry, version: 9, threads: [], savedAt: 2 });
    expect(await cache.read(ada.userId, thread.docId)).toMatchObject({ version: 9, threads: [] });
  });

  it("never gives one person's copy to another on the same browser", async () => {
    await cache.write(entry);
    expect(await cache.read('55555555-5555-4555-8555-555555555555', thread.docId)).toBeNull();
    expect(await cache.read(ada.userId, '66666666-6666-4666-8666-666666666666')).toBeNull();
  });

  it('drops an entry of another shape (an older app) instead of showing it', async () => {
    const db = await openDB('collab-comment-cache', 1);
    await db.put('lists', {
      userId: ada.userId,
      docId: 'old',
      version: 3,
      threads: [{ id: 'x' }],
      savedAt: 1,
    });
    db.close();
    expect(await cache.read(ada.userId, 'old')).toBeNull();
    const again = await openDB('collab-comment-cache', 1);
    expect(await again.get('lists', [ada.userId, 'old'])).toBeUndefined();
    again.close();
  });
});

describe('throttledWriter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes the latest value once per interval, the last one always', () => {
    const written: number[] = [];
    const writer = throttledWriter((n: number) => written.push(n), 500);
    writer.save(1);
    writer.save(2);
    writer.save(3);
    expect(written).toEqual([]);
    jest.advanceTimersByTime(500);
    expect(written).toEqual([3]);
    writer.save(4);
    jest.advanceTimersByTime(499);
    expect(written).toEqual([3]);
    jest.advanceTimersByTime(1);
    expect(written).toEqual([3, 4]);
    jest.advanceTimersByTime(5000);
    expect(written).toEqual([3, 4]);
  });

  it('flush writes what waits at once, and nothing twice', () => {
    const written: number[] = [];
    const writer = throttledWriter((n: number) => written.push(n), 500);
    writer.flush();
    expect(written).toEqual([]);
    writer.save(1);
    writer.flush();
    expect(written).toEqual([1]);
    jest.advanceTimersByTime(1000);
    expect(written).toEqual([1]);
  });
});

describe('deviceCopy', () => {
  it('keeps the last of what it was given at its version, for that person and document only', async () => {
    const cache = ThreadCache.open();
    const copy = deviceCopy(cache, ada.userId, thread.docId);
    copy.save(7, [thread]);
    copy.save(8, [{ ...thread, anchor: { ...thread.anchor, version: 8 } }]);
    copy.flush();
    // The write is not awaited by flush: read until it landed (the first save must never land alone).
    let kept = await copy.read();
    for (let i = 0; i < 100 && kept === null; i++) kept = await copy.read();
    expect(kept).toMatchObject({ version: 8, threads: [{ anchor: { version: 8 } }] });
    expect(await deviceCopy(cache, undefined, thread.docId).read()).toBeNull();
    expect(await deviceCopy(cache, ada.userId, '77777777-7777-4777-8777-777777777777').read()).toBeNull();
    (await cache).close();
  });

  it('without IndexedDB keeps nothing and fails nothing', async () => {
    const copy = deviceCopy(Promise.resolve(null), ada.userId, thread.docId);
    copy.save(7, [thread]);
    copy.flush();
    expect(await copy.read()).toBeNull();
  });
});
