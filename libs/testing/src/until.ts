/**
 * Polls `predicate` until it holds. A test waits for the event it needs, never
 * for a fixed time: on a fast machine this returns at once, on a busy one it
 * waits as long as `timeoutMs` allows. The bound is generous; it only turns a
 * hang into a failure, and the failure names what was awaited.
 *
 * A predicate that throws ends the wait with its error (a child process that
 * exited will never become ready).
 */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  options: { what: string; timeoutMs?: number; everyMs?: number },
): Promise<void> {
  const { what, timeoutMs = 10_000, everyMs = 20 } = options;
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
