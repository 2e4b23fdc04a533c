// Node timers overflow above 2^31-1 ms (about 24.8 days) and then fire at once; Step Functions waits may last a year.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Resolves after `ms` milliseconds; rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let timer;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const arm = (remaining) => {
      timer = setTimeout(() => {
        if (remaining > MAX_TIMER_MS) {
          arm(remaining - MAX_TIMER_MS);
          return;
        }
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, Math.min(remaining, MAX_TIMER_MS));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    arm(Math.max(0, ms));
  });
}

/** Resolves after the promise jobs already queued have run, i.e. on the next turn of the event loop. */
export function nextTurn() {
  return new Promise((resolve) => setImmediate(resolve));
}
