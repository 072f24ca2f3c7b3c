import type { CommentThreadDto, CommentThreadList } from '@collab/contracts';
import type { CommentAnchor } from '@collab/ot';
import {
  anchorsAtVersion,
  headVersion,
  listDocumentThreads,
  listThreadPlaces,
  storeMovedAnchors,
  type ThreadPlace,
  type ThreadWithComments,
} from '@collab/persistence';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { idsNamedBy, type People, peopleById, toThreadDto } from './comment-dto';

/** Sorts before another in a first page: open attached threads by place, then detached, then resolved. */
function rank(place: ThreadPlace, anchor: CommentAnchor): number {
  if (place.resolved) return 2;
  return anchor.detached ? 1 : 0;
}

/**
 * The ids of the `limit` threads first in the text, anchors at one version:
 * open ones by where their range starts, then ends (the order a reader
 * meets them), then detached ones, then resolved ones; ties oldest first
 * (`places` is oldest first, and the sort is stable).
 */
export function firstInText(
  places: readonly ThreadPlace[],
  anchors: ReadonlyMap<string, CommentAnchor>,
  limit: number,
): string[] {
  const keyed = places.map((place) => ({ place, anchor: anchors.get(place.id) ?? place.anchor }));
  keyed.sort((a, b) => {
    const byRank = rank(a.place, a.anchor) - rank(b.place, b.anchor);
    if (byRank !== 0 || rank(a.place, a.anchor) !== 0) return byRank;
    return a.anchor.from - b.anchor.from || a.anchor.to - b.anchor.to;
  });
  return keyed.slice(0, limit).map(({ place }) => place.id);
}

/**
 * A document's threads with their anchors moved to the head: all of them,
 * or (with `limit`) the first in the text. Anchors are stored with the
 * version they hold at; a read after edits moves them through the logged
 * operations (in version order, the one order every replica uses) and
 * stores the moved ones, so the next read starts from there. Typing never
 * writes a thread.
 *
 * A first page costs the places of all threads (a few bytes each), but the
 * text, comments and names of its own threads only: the bytes of a large
 * discussion are what opening a document would otherwise wait for.
 *
 * `allowed` is the caller's role check, run beside the first reads (a round
 * trip less): nothing is written or answered before it passes.
 */
export async function readThreadList(
  manager: EntityManager,
  docId: string,
  limit: number | undefined,
  log: Logger,
  allowed: Promise<unknown>,
): Promise<CommentThreadList> {
  // The head and the threads are read side by side: a thread whose anchor holds past the head read
  // (made meanwhile) is listed as it is, and the client moves it on from its own version.
  if (limit === undefined) {
    const [, head, listed] = await Promise.all([
      allowed,
      headVersion(manager, docId),
      listDocumentThreads(manager, docId),
    ]);
    const version = head ?? 0;
    const [anchors, people] = await Promise.all([
      moveAnchors(
        manager,
        docId,
        new Map(listed.map(({ thread }) => [thread.id, thread.anchor])),
        version,
        log,
      ),
      peopleOf(manager, listed),
    ]);
    return { version, threads: dtos(listed, anchors, people), complete: true };
  }
  const [, head, places] = await Promise.all([
    allowed,
    headVersion(manager, docId),
    listThreadPlaces(manager, docId),
  ]);
  const version = head ?? 0;
  const anchors = await moveAnchors(
    manager,
    docId,
    new Map(places.map((p) => [p.id, p.anchor])),
    version,
    log,
  );
  const page = firstInText(places, anchors, limit);
  const listed = await listDocumentThreads(manager, docId, page);
  // In text order (a thread may have lost its last comment since its place was read).
  const order = new Map(page.map((id, i) => [id, i]));
  listed.sort((a, b) => order.get(a.thread.id)! - order.get(b.thread.id)!);
  const people = await peopleOf(manager, listed);
  return { version, threads: dtos(listed, anchors, people), complete: page.length === places.length };
}

function peopleOf(manager: EntityManager, listed: readonly ThreadWithComments[]): Promise<People> {
  return peopleById(
    manager,
    listed.flatMap(({ thread, comments }) => idsNamedBy(thread, comments)),
  );
}

function dtos(
  listed: readonly ThreadWithComments[],
  anchors: ReadonlyMap<string, CommentAnchor>,
  people: People,
): CommentThreadDto[] {
  return listed.map(({ thread, comments }) =>
    toThreadDto(thread, anchors.get(thread.id) ?? thread.anchor, comments, people),
  );
}

/** `anchors` at `version`; the moved ones are stored for the next reader. */
async function moveAnchors(
  manager: EntityManager,
  docId: string,
  anchors: ReadonlyMap<string, CommentAnchor>,
  version: number,
  log: Logger,
): Promise<Map<string, CommentAnchor>> {
  const at = await anchorsAtVersion(manager, docId, anchors, version);
  const moved = [...at]
    .filter(([id, anchor]) => anchor.version > anchors.get(id)!.version)
    .map(([threadId, anchor]) => ({ threadId, anchor }));
  // Opportunistic: a failed write only means the next reader moves them again.
  await storeMovedAnchors(manager, moved).catch((error: unknown) =>
    log.warn({ err: error, docId }, 'cannot store moved comment anchors'),
  );
  return at;
}
