import type { CommentThreadList } from '@collab/contracts';
import type { CommentAnchor } from '@collab/ot';
import {
  anchorsAtVersion,
  headVersion,
  listDocumentThreads,
  listThreadPlaces,
  storeMovedAnchors,
  type ThreadPlace,
} from '@collab/persistence';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { idsNamedBy, peopleById, toThreadDto } from './comment-dto';

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
 */
export async function readThreadList(
  manager: EntityManager,
  docId: string,
  limit: number | undefined,
  log: Logger,
): Promise<CommentThreadList> {
  // Head first: a thread made after this read holds at a later version and is listed as it is.
  const version = (await headVersion(manager, docId)) ?? 0;
  let page: string[] | undefined;
  let total = 0;
  let anchors: Map<string, CommentAnchor>;
  if (limit === undefined) {
    anchors = new Map();
  } else {
    const places = await listThreadPlaces(manager, docId);
    total = places.length;
    anchors = await moveAnchors(manager, docId, new Map(places.map((p) => [p.id, p.anchor])), version, log);
    page = firstInText(places, anchors, limit);
  }
  const listed = await listDocumentThreads(manager, docId, page);
  const [moved, people] = await Promise.all([
    page
      ? anchors
      : moveAnchors(
          manager,
          docId,
          new Map(listed.map(({ thread }) => [thread.id, thread.anchor])),
          version,
          log,
        ),
    peopleById(
      manager,
      listed.flatMap(({ thread, comments }) => idsNamedBy(thread, comments)),
    ),
  ]);
  // In text order for a page (a thread may have lost its last comment since its place was read).
  const order = new Map((page ?? []).map((id, i) => [id, i]));
  if (page) listed.sort((a, b) => order.get(a.thread.id)! - order.get(b.thread.id)!);
  return {
    version,
    threads: listed.map(({ thread, comments }) =>
      toThreadDto(thread, moved.get(thread.id) ?? thread.anchor, comments, people),
    ),
    complete: page === undefined || page.length === total,
  };
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
