import type { CollabDocument } from '@collab/client';
import type { Outbox } from '../outbox/outbox';
import type { EditCount } from './edit-counter';

/**
 * Keeps a session's outbox entry in step with its document. Returns the
 * function to call after every change: writes go one at a time, and each
 * writes the newest state, so a burst of keystrokes costs one write per
 * IndexedDB round trip rather than one per keystroke, and what a crash can
 * lose is at most the edits of the write in progress.
 */
export function replicaWriter(
  outbox: Outbox,
  docId: string,
  clientId: string,
  doc: Pick<CollabDocument, 'replica'>,
  edits: () => EditCount | undefined = () => undefined,
): () => void {
  let writing = false;
  let dirty = false;
  const drain = async () => {
    writing = true;
    try {
      while (dirty) {
        dirty = false;
        const replica = doc.replica();
        if (replica) await outbox.save(docId, clientId, replica, edits()).catch(() => undefined);
      }
    } finally {
      writing = false;
    }
  };
  return () => {
    dirty = true;
    if (!writing) void drain();
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends the unsent edits of a closed tab's replica once (under its own
 * client id, so the server's dedupe applies each exactly once) and closes the
 * document; gives up, leaving the entry for a later visit, when `stopped()`
 * turns true first (the page moved on).
 */
export async function flushOnce(doc: CollabDocument, stopped: () => boolean): Promise<void> {
  try {
    await doc.open();
    while (!(doc.status === 'connected' && doc.synced)) {
      if (stopped()) throw new Error('left before the edits were sent');
      await sleep(200);
    }
  } finally {
    doc.close();
  }
}
