import { useEffect } from 'react';
import { useServices } from '../app-context';

/**
 * The inbox on a document page: the document's socket delivers the
 * notifications (so the page holds the inbox connection closed, see
 * LiveInbox), and each time that socket is connected again the list is read
 * over REST, for what was sent while it was down.
 */
export function useDocumentInbox(connected: boolean): void {
  const { inbox, notifications } = useServices();
  useEffect(() => inbox.holdForDocument(), [inbox]);
  useEffect(() => {
    if (connected) void notifications.refresh().catch(() => undefined);
  }, [connected, notifications]);
}
