/** Who is behind a socket, as established by the handshake. Kept on `socket.data`. */
export interface Identity {
  readonly userId: string;
  /** When the access token that established it expires (ms since the epoch), when it says. */
  readonly expiresAt?: number;
  /** The sign-in session of that token (its `sid` claim), when it has one. */
  readonly sessionId?: string;
}
