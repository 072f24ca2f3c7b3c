import { type Me, type TokenPair } from '@collab/contracts';

/** What a signed-in tab keeps: the token pair, when the access token expires, and who it is. */
export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch milliseconds. */
  readonly accessTokenExpiresAt: number;
  readonly me: Me | null;
}

/** The storage the store needs (localStorage in the browser, a Map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY = 'collab.session';

/**
 * The session, persisted so a reload stays signed in, shared by every tab
 * (a sign-out in one tab signs out the others through the `storage` event).
 */
export class SessionStore {
  private current: Session | null;
  private ended: 'signed-out' | 'expired' | null = null;
  private readonly listeners = new Set<(session: Session | null) => void>();

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly now: () => number = Date.now,
  ) {
    this.current = SessionStore.read(storage);
  }

  get session(): Session | null {
    return this.current;
  }

  /** Stores a fresh token pair (sign-in, sign-up or refresh), keeping the known profile. */
  setTokens(tokens: TokenPair): Session {
    const next: Session = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessTokenExpiresAt: this.now() + tokens.accessTokenExpiresIn * 1000,
      me: this.current?.me ?? null,
    };
    this.write(next);
    return next;
  }

  setMe(me: Me): void {
    if (this.current) this.write({ ...this.current, me });
  }

  /**
   * Ends the session: `expired` when the server refused its tokens (the
   * sign-in page then says "your session expired"), `signed-out` when the
   * person asked.
   */
  clear(reason: 'signed-out' | 'expired' = 'signed-out'): void {
    this.ended = reason;
    this.write(null);
  }

  /** How the last session of this page ended; null while signed in or before any. */
  get endedBy(): 'signed-out' | 'expired' | null {
    return this.current ? null : this.ended;
  }

  /** Whether the access token expires within `marginMs`. */
  expiresSoon(marginMs = 30_000): boolean {
    return this.current === null || this.current.accessTokenExpiresAt - marginMs <= this.now();
  }

  subscribe(listener: (session: Session | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Another tab changed the session: adopt it. */
  reload(): void {
    this.current = SessionStore.read(this.storage);
    for (const listener of this.listeners) listener(this.current);
  }

  private write(session: Session | null): void {
    this.current = session;
    if (session) this.storage.setItem(KEY, JSON.stringify(session));
    else this.storage.removeItem(KEY);
    for (const listener of this.listeners) listener(session);
  }

  private static read(storage: KeyValueStorage): Session | null {
    try {
      const raw = storage.getItem(KEY);
      if (!raw) return null;
      const value = JSON.parse(raw) as Partial<Session>;
      if (typeof value.accessToken !== 'string' || typeof value.refreshToken !== 'string') return null;
      if (typeof value.accessTokenExpiresAt !== 'number') return null;
      return {
        accessToken: value.accessToken,
        refreshToken: value.refreshToken,
        accessTokenExpiresAt: value.accessTokenExpiresAt,
        me: value.me ?? null,
      };
    } catch {
      return null; // unreadable: signed out
    }
  }
}

/** The storage key, for the `storage` event listener. */
export const SESSION_STORAGE_KEY = KEY;
