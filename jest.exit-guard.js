// A Jest reporter that fails a run which does not end after its last test.
//
// Tests close what they open (servers, pools, Redis clients, BullMQ queues and
// workers, timers); nothing forces Jest to exit. A handle left open keeps the
// process alive after the results are printed, which on CI would hang until the
// job's own limit. This reporter arms a timer when the run completes; the timer
// is unref'd, so a run that ends cleanly exits before it fires. If it fires,
// something is still open: it says so and exits with status 1.
//
// In-band runs (one worker, as on a 2-core CI machine) keep the tests in this
// process, so any handle a test leaked is caught. With several workers, Jest
// itself kills a worker that does not exit and warns "A worker process has
// failed to exit gracefully".
const GRACE_MS = Number(process.env.JEST_EXIT_GRACE_MS ?? 15_000);

class ExitGuard {
  onRunComplete() {
    const timer = setTimeout(() => {
      const handles = process
        .getActiveResourcesInfo()
        .filter((kind) => kind !== 'TTYWrap')
        .join(', ');
      process.stderr.write(
        `\nJest is still running ${GRACE_MS / 1000} s after the last test finished: a test left ` +
          `something open (active: ${handles || 'unknown'}). Close it in afterAll/afterEach; ` +
          '`npx jest --detectOpenHandles <spec>` shows where it was opened.\n',
      );
      process.exit(1);
    }, GRACE_MS);
    timer.unref();
  }
}

module.exports = ExitGuard;
