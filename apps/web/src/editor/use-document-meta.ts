import type { DocumentSummary } from '@collab/contracts';
import { useEffect, useState } from 'react';
import { ApiError } from '../api/api-error';
import { useServices } from '../app-context';
import { describeError } from '../errors/messages';

const titleKey = (docId: string) => `collab-title:${docId}`;
const lastTitle = (docId: string) => {
  try {
    return localStorage.getItem(titleKey(docId)) ?? '';
  } catch {
    return ''; // storage disabled
  }
};
const rememberTitle = (docId: string, title: string) => {
  try {
    localStorage.setItem(titleKey(docId), title);
  } catch {
    // storage disabled or full: the title loads over the network next time
  }
};

/**
 * The open document's metadata (its title and the reader's role), loaded over
 * REST beside the socket session (`connection` is the session's), and the
 * title field's text and rename. The title also names the browser tab.
 * `onNotice` gets a failed rename's sentence, and null when a rename goes
 * through.
 */
export function useDocumentMeta(
  docId: string,
  connection: { online: boolean; connected: boolean },
  onNotice: (notice: string | null) => void,
) {
  const { calls } = useServices();
  const [meta, setMeta] = useState<DocumentSummary | null>(null);
  // The last title seen on this device: shown until the metadata loads (offline, until the network returns).
  const [title, setTitle] = useState(() => lastTitle(docId));
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);

  // The title and role load over REST; without a network they load when it
  // returns, and again once the socket connects after a failure (the editor
  // itself opens over the socket meanwhile).
  const needMeta = meta === null;
  const { online, connected } = connection;
  useEffect(() => {
    if (!needMeta || !online) return;
    let cancelled = false;
    calls.getDocument(docId).then(
      (doc) => {
        if (cancelled) return;
        setMeta(doc);
        setTitle(doc.title);
        rememberTitle(docId, doc.title);
        setError(null);
      },
      (e: unknown) => !cancelled && setError(e instanceof ApiError ? e : new ApiError('INTERNAL')),
    );
    return () => {
      cancelled = true;
    };
  }, [calls, docId, needMeta, online, connected, attempt]);

  useEffect(() => {
    document.title = meta ? `${meta.title} — Collab` : 'Collab';
  }, [meta]);

  /** Renames the document to the field's text, or puts the field back when there is nothing to rename. */
  const saveTitle = async () => {
    const next = title.trim();
    if (!meta || !next || next === meta.title) return setTitle(meta?.title ?? '');
    try {
      const renamed = await calls.renameDocument(docId, next);
      setMeta(renamed);
      rememberTitle(docId, renamed.title);
      onNotice(null);
    } catch (e) {
      onNotice(`The title was not changed: ${describeError(e)}`);
      setTitle(meta.title);
    }
  };

  /** Loads the metadata again after `error` (the problem page's retry). */
  const retry = () => {
    setError(null);
    setAttempt((n) => n + 1);
  };

  return { meta, title, setTitle, saveTitle, error, retry };
}
