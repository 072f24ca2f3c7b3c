import { CollabDocument, type ConnectionStatus } from '@collab/client';
import type { AccessRevokedReason, PresenceState, Role, WireError } from '@collab/contracts';
import { useEffect, useState } from 'react';
import type { AppServices } from '../app-context';
import {
  claimOrphanedEntries,
  Outbox,
  planAdoption,
  type ReleaseLock,
  tryHoldSessionLock,
} from '../outbox/outbox';
import { refusalMessage } from '../errors/messages';
import { errorAfterStatus, reconnectsWhenOnline } from './connection-error';
import { EditCounter } from './edit-counter';
import { flushOnce, replicaWriter } from './replica-writer';

interface CollabSession {
  readonly doc: CollabDocument;
  readonly role: Role;
  /** Call before each local submit: the status line counts the person's edits. */
  readonly countEdit: () => void;
}

export interface CollabSessionState {
  readonly session: CollabSession | null;
  readonly status: ConnectionStatus;
  /** The person's edits the server has not acknowledged (see EditCounter). */
  readonly unsaved: number;
  /** Other people here now, by session (one per open tab). */
  readonly presence: ReadonlyMap<string, PresenceState>;
  /**
   * Why the document could not open, or why its connection or join failed
   * since (gone once it is connected again; see errorAfterStatus).
   */
  readonly error: WireError | null;
  /** An edit refused for good, in words (the editor goes on). */
  readonly notice: string | null;
  /** The document is gone for this person: deleted, or their access removed. */
  readonly revoked: AccessRevokedReason | null;
  /** False while the browser says it has no network (then `status` is 'offline'). */
  readonly online: boolean;
}

const browserOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false;

const newClientId = () => `w${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;

/**
 * Opens a document for editing: adopts the unsent edits a closed tab left in
 * the outbox (sending them once, under their original client id), keeps the
 * outbox in step with every local edit, and reports status, the count of unsaved
 * edits and presence. Closes everything on unmount.
 */
export function useCollabSession(services: AppServices, docId: string): CollabSessionState {
  const [state, setState] = useState<CollabSessionState>({
    session: null,
    status: 'connecting',
    unsaved: 0,
    presence: new Map(),
    error: null,
    notice: null,
    revoked: null,
    online: browserOnline(),
  });

  useEffect(() => {
    let disposed = false;
    const cleanups: (() => void)[] = [];
    const update = (patch: Partial<CollabSessionState>) => !disposed && setState((s) => ({ ...s, ...patch }));
    let current: CollabDocument | null = null;
    // The last connection error, read by the `online` handler (state is not).
    let connectionError: WireError | null = null;

    // The browser knows at once when the network goes: say "Offline" then,
    // rather than "Reconnecting" until a socket timeout notices, and stop the
    // retries; when it returns, reconnect now instead of after the backoff.
    // Edits made meanwhile stay pending (and in the outbox) and go out on
    // the next connect with their original (clientId, seq). A connection the
    // SDK ended for good (a close for good, a handshake refused for the app's
    // address or version) stays down: the person must act first
    // (reconnectsWhenOnline), and a reconnect would only be refused again.
    const onOffline = () => {
      update({ online: false });
      current?.disconnect();
    };
    const onOnline = () => {
      update({ online: true });
      if (reconnectsWhenOnline(connectionError)) current?.reconnect();
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
      // The replica's operations (the SDK counts them only once open() has run).
      const restored = plan.adopt?.entry.replica.pending;
      const counter = new EditCounter(
        plan.adopt?.entry.edits ?? null,
        restored ? (restored.buffer ? 2 : 1) : 0,
      );
      const countEdit = () => counter.edited();
      const save = outbox
        ? replicaWriter(outbox, docId, clientId, doc, () => counter.snapshot)
        : () => undefined;
      doc.on('pending', (operations) => {
        counter.pending(operations);
        save();
        update({ unsaved: counter.unsaved });
      });
      doc.on('remote', save);
      let opened = false;
      doc.on('status', (status) => {
        // An error of open() stays: the page shows it instead of the editor.
        if (opened) connectionError = errorAfterStatus(connectionError, status);
        update({ status, error: connectionError });
      });
      // Also a connection the SDK ended for good: a session the server closed
      // (signed out, too many tabs, an old app) or a handshake no reconnect
      // gets past (this address not allowed, an old app). The document is
      // offline, and the error's code says in words what to do (sign in,
      // close tabs, reload, open the app from its usual address).
      doc.on('error', (error) => {
        connectionError = error;
        update({ error });
      });
      // The edit was taken out of the document and the later ones kept: say
      // which and why, and keep editing.
      doc.on('refused', (refusal) => {
        const notice = refusalMessage(refusal);
        if (notice) update({ notice });
      });
      doc.on('role', (role) => {
        save();
        setState((s) => (s.session ? { ...s, session: { doc, role, countEdit } } : s));
      });
      doc.on('revoked', (reason) => {
        void outbox?.remove(docId, clientId).catch(() => undefined);
        update({ session: null, status: 'offline', revoked: reason });
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
        opened = true;
      } catch (error) {
        connectionError = error as WireError;
        update({ error: connectionError, status: 'offline' });
        return;
      }
      if (disposed) return;
      save();
      counter.pending(doc.pendingCount);
      update({
        session: { doc, role: doc.role ?? 'viewer', countEdit },
        status: doc.status,
        unsaved: counter.unsaved,
      });

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
