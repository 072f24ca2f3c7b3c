/**
 * Runs `flush` once, after the I/O callbacks of this turn of the event loop,
 * however many times it is asked for before then: what those callbacks
 * queued (many sockets' requests, many actors' commits) is handled together.
 */
export function endOfTurn(flush: () => void): () => void {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      flush();
    });
  };
}
