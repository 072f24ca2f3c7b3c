// The typing loop of a benchmark's editors: each runs `step` (one operation,
// awaited to its acknowledgement) until the phase ends, either as fast as
// acknowledgements come (ratePerEditor null) or at a fixed rate, with starts
// spread so that paced editors do not fire in lockstep. A late editor does
// not burst to catch up, and none waits past the phase's end (the phase's
// length divides its count of commits).

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `step(editor, index)` for every editor until `seconds` have passed. */
export async function typeEach(editors, { seconds, ratePerEditor = null }, step) {
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    editors.map(async (editor, i) => {
      await sleep(ratePerEditor ? (1000 / ratePerEditor) * (i / editors.length) : 0);
      let next = Date.now();
      while (Date.now() < until) {
        await step(editor, i);
        if (!ratePerEditor) continue;
        next += 1000 / ratePerEditor;
        const wait = Math.min(next, until) - Date.now();
        if (wait > 0) await sleep(wait);
        else next = Date.now();
      }
    }),
  );
}
