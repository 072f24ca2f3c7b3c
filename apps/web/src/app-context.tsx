import { InboxClient } from '@collab/client';
import { createContext, useContext, useSyncExternalStore } from 'react';
import { ApiClient } from './api/api-client';
import { endpoints, type Endpoints } from './api/endpoints';
import { type Session, SESSION_STORAGE_KEY, SessionStore } from './api/session-store';
import { LiveInbox } from './notifications/live-inbox';
import { NotificationCenter } from './notifications/notification-center';

/** What every page needs: the session, the REST calls, and the client for sockets. */
export interface AppServices {
  readonly session: SessionStore;
  readonly api: ApiClient;
  readonly calls: Endpoints;
  /** The gateway's URL for Socket.IO (the page's own origin: the gateway serves the app). */
  readonly gatewayUrl: string;
  /** The person's inbox of notifications (the bell). */
  readonly notifications: NotificationCenter;
  /** Keeps `notifications` live on pages without a document (started by the app's root). */
  readonly inbox: LiveInbox;
}

export function createServices(): AppServices {
  const session = new SessionStore(window.localStorage);
  // Another tab signed in or out: follow it.
  window.addEventListener('storage', (event) => {
    if (event.key === SESSION_STORAGE_KEY) session.reload();
  });
  const api = new ApiClient(session);
  const calls = endpoints(api, session);
  const notifications = new NotificationCenter(() => calls);
  const gatewayUrl = window.location.origin;
  const inbox = new LiveInbox(
    session,
    notifications,
    () => new InboxClient({ url: gatewayUrl, token: () => api.accessToken() }),
  );
  return { session, api, calls, gatewayUrl, notifications, inbox };
}

const AppContext = createContext<AppServices | null>(null);
export const AppProvider = AppContext.Provider;

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useServices outside <AppProvider>');
  return services;
}

/** The current session; re-renders on sign-in, refresh and sign-out (in any tab). */
export function useSession(): Session | null {
  const { session } = useServices();
  return useSyncExternalStore(
    (onChange) => session.subscribe(onChange),
    () => session.session,
  );
}
