import {
  AcceptInvitationResult,
  DocumentAttribution,
  type DocumentSummary,
  DocumentList,
  DocumentSummary as DocumentSummarySchema,
  type ExportFormat,
  type InvitableRole,
  InvitationList,
  Me,
  MemberList,
  type MarkNotificationsRead,
  NotificationList,
  UnreadCount,
  RestoreVersionResult,
  SentInvitation,
  TokenPair,
  VersionContent,
  VersionDiff,
  VersionList,
  VersionSummary,
} from '@collab/contracts';
import type { ApiClient } from './api-client';
import type { SessionStore } from './session-store';

const doc = (docId: string) => `/documents/${encodeURIComponent(docId)}`;

/** Every REST call the app makes, typed by the contracts. */
export function endpoints(api: ApiClient, session: SessionStore) {
  const signedIn = async (tokens: TokenPair) => {
    session.setTokens(tokens);
    session.setMe(await api.request('GET', '/me', { schema: Me }));
  };
  return {
    async signUp(name: string, email: string, password: string): Promise<void> {
      await signedIn(
        await api.request('POST', '/auth/sign-up', {
          auth: false,
          body: { name, email, password },
          schema: TokenPair,
        }),
      );
    },
    async signIn(email: string, password: string): Promise<void> {
      await signedIn(
        await api.request('POST', '/auth/sign-in', {
          auth: false,
          body: { email, password },
          schema: TokenPair,
        }),
      );
    },
    async signOut(): Promise<void> {
      const refreshToken = session.session?.refreshToken;
      try {
        if (refreshToken)
          await api.request('POST', '/auth/sign-out', { auth: false, body: { refreshToken } });
      } finally {
        session.clear();
      }
    },
    me: () => api.request('GET', '/me', { schema: Me }),

    listDocuments: async (): Promise<DocumentSummary[]> =>
      (await api.request('GET', '/documents', { schema: DocumentList })).documents,
    getDocument: (docId: string) => api.request('GET', doc(docId), { schema: DocumentSummarySchema }),
    createDocument: (title: string) =>
      api.request('POST', '/documents', { body: { title }, schema: DocumentSummarySchema }),
    renameDocument: (docId: string, title: string) =>
      api.request('PATCH', doc(docId), { body: { title }, schema: DocumentSummarySchema }),
    deleteDocument: (docId: string) => api.request('DELETE', doc(docId)),

    members: (docId: string) => api.request('GET', `${doc(docId)}/members`, { schema: MemberList }),
    invite: (docId: string, email: string, role: InvitableRole) =>
      api.request('POST', `${doc(docId)}/invitations`, { body: { email, role }, schema: SentInvitation }),
    revokeInvitation: (docId: string, invitationId: string) =>
      api.request('DELETE', `${doc(docId)}/invitations/${encodeURIComponent(invitationId)}`),
    changeRole: (docId: string, userId: string, role: InvitableRole) =>
      api.request('PATCH', `${doc(docId)}/members/${encodeURIComponent(userId)}`, { body: { role } }),
    removeMember: (docId: string, userId: string) =>
      api.request('DELETE', `${doc(docId)}/members/${encodeURIComponent(userId)}`),

    invitations: async () =>
      (await api.request('GET', '/invitations', { schema: InvitationList })).invitations,
    acceptInvitation: (invitationId: string) =>
      api.request('POST', `/invitations/${encodeURIComponent(invitationId)}/accept`, {
        schema: AcceptInvitationResult,
      }),
    acceptInvitationToken: (token: string) =>
      api.request('POST', '/invitations/accept', { body: { token }, schema: AcceptInvitationResult }),

    /** The newest page of the history, or the page below version `before`. */
    versions: (docId: string, before?: number) =>
      api.request('GET', `${doc(docId)}/versions${before === undefined ? '' : `?before=${before}`}`, {
        schema: VersionList,
      }),
    versionContent: (docId: string, version: number) =>
      api.request('GET', `${doc(docId)}/versions/${version}`, { schema: VersionContent }),
    nameVersion: (docId: string, version: number, name: string) =>
      api.request('PUT', `${doc(docId)}/versions/${version}/name`, {
        body: { name },
        schema: VersionSummary,
      }),
    /** The changes from `from` to `to`, each insert and delete with its author. */
    diff: (docId: string, from: number, to: number) =>
      api.request('GET', `${doc(docId)}/diff?from=${from}&to=${to}`, { schema: VersionDiff }),
    /** Who wrote each character of `version`. */
    attribution: (docId: string, version: number) =>
      api.request('GET', `${doc(docId)}/attribution?version=${version}`, { schema: DocumentAttribution }),
    /** A new document of the caller's with the content of `version`. */
    copyVersion: (docId: string, version: number) =>
      api.request('POST', `${doc(docId)}/versions/${version}/copy`, {
        body: {},
        schema: DocumentSummarySchema,
      }),
    restore: (docId: string, version: number) =>
      api.request('POST', `${doc(docId)}/restore`, { body: { version }, schema: RestoreVersionResult }),
    /** The newest entries of the caller's inbox and the unread count. */
    notifications: (limit = 30) =>
      api.request('GET', `/notifications?limit=${limit}`, { schema: NotificationList }),
    unreadCount: () => api.request('GET', '/notifications/unread-count', { schema: UnreadCount }),
    markNotificationsRead: (which: MarkNotificationsRead) =>
      api.request('POST', '/notifications/read', { body: which, schema: UnreadCount }),

    /** Downloads an export with the access token (a plain link could not send it). */
    async exportFile(docId: string, format: ExportFormat, version?: number): Promise<Blob> {
      const token = await api.accessToken();
      const query = new URLSearchParams({
        format,
        ...(version === undefined ? {} : { version: String(version) }),
      });
      const response = await fetch(`/api${doc(docId)}/export?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok) throw new Error(`export failed (${response.status})`);
      return response.blob();
    },
  };
}

export type Endpoints = ReturnType<typeof endpoints>;
