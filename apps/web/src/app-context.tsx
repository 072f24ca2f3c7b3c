import { createContext, useContext, useSyncExternalStore } from 'react';
import { ApiClient } from './api/api-client';
import { endpoints, type Endpoints } from './api/endpoints';
import { type Session, SESSION_STORAGE_KEY, SessionStore } from './api/session-store';
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
  return { session, api, calls, gatewayUrl: window.location.origin, notifications };
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
