// The typing loop of a benchmark's editors: each runs `step` (one operation,
// awaited to its acknowledgement) until the phase ends, either as fast as
// acknowledgements come (ratePerEditor null) or at a given rate. Paced
// arrivals are either even (one every 1/rate seconds, starts spread so that
// editors do not fire in lockstep) or Poisson (exponential gaps of mean
// 1/rate, as independent people typing; memoryless, so no spread is needed).
// A late editor does not burst to catch up, and none waits past the phase's
// end (the phase's length divides its count of commits).

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds to an editor's next arrival, for `arrivals` 'even' or 'poisson'. */
function gapOf(arrivals, ratePerEditor) {
  const mean = 1000 / ratePerEditor;
  if (arrivals === 'poisson') return () => -Math.log(1 - Math.random()) * mean;
  if (arrivals === 'even') return () => mean;
  throw new Error(`arrivals must be 'even' or 'poisson', got ${arrivals}`);
}

/** Runs `step(editor, index)` for every editor until `seconds` have passed. */
export async function typeEach(editors, { seconds, ratePerEditor = null, arrivals = 'even' }, step) {
  const until = Date.now() + seconds * 1000;
  const gap = ratePerEditor ? gapOf(arrivals, ratePerEditor) : () => 0;
  await Promise.all(
    editors.map(async (editor, i) => {
      const first = arrivals === 'even' ? gap() * (i / editors.length) : gap();
      let next = Date.now() + first;
      if (first > 0) await sleep(Math.min(next, until) - Date.now());
      while (Date.now() < until) {
        await step(editor, i);
        if (!ratePerEditor) continue;
        next += gap();
        const wait = Math.min(next, until) - Date.now();
        if (wait > 0) await sleep(wait);
        else next = Date.now();
      }
    }),
  );
}
