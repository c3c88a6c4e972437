/**
 * setTimeout that never fires before `deadline` (a `performance.now()` value). Node's timers
 * count from the event loop's cached clock, which can lag by a millisecond or more, so a plain
 * setTimeout(fn, 100) may run after 99 ms of real time; a sleep or an intended start must not.
 * Returns a function that cancels the timer.
 */
export function setTimeoutUntil(deadline: number, fn: () => void): () => void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = deadline - performance.now();
    if (left <= 0) {
      fn();
      return;
    }
    timer = setTimeout(arm, Math.ceil(left));
  };
  timer = setTimeout(arm, Math.max(0, Math.ceil(deadline - performance.now())));
  return () => clearTimeout(timer);
}
