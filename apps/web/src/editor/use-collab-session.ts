import { CollabDocument, type ConnectionStatus, type EditRefusal } from '@collab/client';
import type { PresenceState, Role, WireError } from '@collab/contracts';
import { useEffect, useState } from 'react';
import type { AppServices } from '../app-context';
import {
  claimOrphanedEntries,
  Outbox,
  planAdoption,
  type ReleaseLock,
  tryHoldSessionLock,
} from '../outbox/outbox';
import { flushOnce, replicaWriter } from './replica-writer';

export interface CollabSession {
  readonly doc: CollabDocument;
  readonly role: Role;
}

export interface CollabSessionState {
  readonly session: CollabSession | null;
  readonly status: ConnectionStatus;
  readonly pending: number;
  /** Other people here now, by session (one per open tab). */
  readonly presence: ReadonlyMap<string, PresenceState>;
  readonly error: WireError | null;
  /** False while the browser says it has no network (then `status` is 'offline'). */
  readonly online: boolean;
}

const browserOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false;

const newClientId = () => `w${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;

/**
 * Opens a document for editing: adopts the unsent edits a closed tab left in
 * the outbox (sending them once, under their original client id), keeps the
 * outbox in step with every local edit, and reports status, pending count and
 * presence. Closes everything on unmount.
 */
export function useCollabSession(services: AppServices, docId: string): CollabSessionState {
  const [state, setState] = useState<CollabSessionState>({
    session: null,
    status: 'connecting',
    pending: 0,
    presence: new Map(),
    error: null,
    online: browserOnline(),
  });

  useEffect(() => {
    let disposed = false;
    const cleanups: (() => void)[] = [];
    const update = (patch: Partial<CollabSessionState>) => !disposed && setState((s) => ({ ...s, ...patch }));
    let current: CollabDocument | null = null;

    // The browser knows at once when the network goes: say "Offline" then,
    // rather than "Reconnecting" until a socket timeout notices, and stop the
    // retries; when it returns, reconnect now instead of after the backoff.
    // Edits made meanwhile stay pending (and in the outbox) and go out on
    // the next connect with their original (clientId, seq).
    const onOffline = () => {
      update({ online: false });
      current?.disconnect();
    };
    const onOnline = () => {
      update({ online: true });
      current?.reconnect();
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    cleanups.push(() => {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
    });

    void (async () => {
      const outbox = await Outbox.open().catch(() => null);
      if (outbox) cleanups.push(() => outbox.close());
      const plan = planAdoption(outbox ? await claimOrphanedEntries(outbox, docId) : []);
      for (const { entry, release: releaseOther } of plan.discard) {
        void outbox?.remove(docId, entry.clientId).finally(releaseOther);
      }
      let clientId = plan.adopt?.entry.clientId;
      let release: ReleaseLock | null = plan.adopt?.release ?? null;
      while (!clientId || !release) {
        clientId = newClientId();
        release = await tryHoldSessionLock(docId, clientId);
      }
      cleanups.push(release);
      if (disposed) return cleanups.forEach((c) => c());

      const options = { url: services.gatewayUrl, docId, token: () => services.api.accessToken() };
      // With a replica the document opens at once, offline too; the join,
      // catch-up and resend of its unsent edits happen when the network allows.
      const doc = new CollabDocument({ ...options, clientId, replica: plan.adopt?.entry.replica ?? null });
      cleanups.push(() => doc.close());
      current = doc;
      const save = outbox ? replicaWriter(outbox, docId, clientId, doc) : () => undefined;
      doc.on('pending', (pending) => {
        save();
        update({ pending });
      });
      doc.on('remote', save);
      doc.on('status', (status) => update({ status }));
      doc.on('error', (error) => update({ error }));
      // The edit was taken out of the document and the later ones kept: say
      // which and why, and keep editing.
      doc.on('refused', (refusal) => {
        const notice = refusalNotice(refusal);
        if (notice) update({ error: notice });
      });
      doc.on('role', (role) => {
        save();
        setState((s) => (s.session ? { ...s, session: { doc, role } } : s));
      });
      doc.on('revoked', (reason) => {
        void outbox?.remove(docId, clientId).catch(() => undefined);
        update({
          session: null,
          status: 'offline',
          error: {
            code: 'FORBIDDEN',
            message:
              reason === 'document_deleted'
                ? 'This document was deleted.'
                : 'You no longer have access to this document.',
          },
        });
      });
      doc.on('presence', (p) =>
        setState((s) => {
          const presence = new Map(s.presence);
          presence.set(p.sessionId, p);
          return { ...s, presence };
        }),
      );
      doc.on('presence:leave', (leave) =>
        setState((s) => {
          const presence = new Map(s.presence);
          presence.delete(leave.sessionId);
          return { ...s, presence };
        }),
      );
      try {
        await doc.open();
      } catch (error) {
        update({ error: error as WireError, status: 'offline' });
        return;
      }
      if (disposed) return;
      save();
      update({ session: { doc, role: doc.role ?? 'viewer' }, status: doc.status, pending: doc.pendingCount });

      // Edits other closed tabs left behind: send each once, then forget it.
      for (const { entry, release: releaseOther } of plan.flush) {
        const flusher = new CollabDocument({ ...options, clientId: entry.clientId, replica: entry.replica });
        void flushOnce(flusher, () => disposed)
          .then(() => outbox?.remove(docId, entry.clientId))
          .catch(() => undefined)
          .finally(releaseOther);
      }
    })();

    return () => {
      disposed = true;
      for (const cleanup of cleanups.reverse()) cleanup();
    };
  }, [services, docId]);

  // Whatever the socket last reported, no network means offline.
  return state.online ? state : { ...state, status: 'offline' };
}

/**
 * What a person is told when an edit of theirs was refused for good; null for
 * an edit that changed nothing by the time it reached the server (formatting
 * already there, text someone else deleted first): nothing they wanted is lost.
 */
export function refusalNotice(refusal: EditRefusal): WireError | null {
  if (refusal.error.code === 'OP_CHANGES_NOTHING') return null;
  const message = refusal.reloaded
    ? 'The server has an older copy of this document than this device had (it was restored). ' +
      'The document was reloaded from the server; your unsaved edits could not be kept.'
    : `Your last edit could not be saved and was undone: ${refusal.error.message} Later edits are kept.`;
  return { code: refusal.error.code, message };
}
