/** Who is behind a socket, as established by the handshake. Kept on `socket.data`. */
export interface Identity {
  readonly userId: string;
}
