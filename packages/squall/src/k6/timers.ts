/**
 * k6/timers: setTimeout and friends that keep the VU's iteration open until they fire, as in k6.
 * An error thrown by a callback (or by the async work it started) is not lost: it ends the VU's
 * iteration as an iteration error (see K6Timers).
 */
import { currentInstance } from './host.js';
import type { K6Timers } from './timers-state.js';

type Handle = { kind: 'timeout' | 'interval'; timer: NodeJS.Timeout; timers: K6Timers; cancel: () => void };
const handles = new Map<number, Handle>();
let nextId = 1;

function start(kind: Handle['kind'], fn: (...a: unknown[]) => unknown, ms: number, args: unknown[]): number {
  if (typeof fn !== 'function') throw new TypeError(`set${kind === 'timeout' ? 'Timeout' : 'Interval'}() needs a function`);
  const timers = currentInstance().timers;
  const id = nextId++;
  const cancel = () => {
    clearTimeout(handle.timer);
    handles.delete(id);
    timers.done(cancel);
  };
  const fire = () => {
    // A callback that calls http.* was made async by the transform: the iteration stays open
    // until what it started has finished, as k6's event loop keeps it open.
    let result: unknown;
    try {
      result = fn(...args);
    } catch (err) {
      timers.fail(err);
      cancel();
      return;
    }
    if (result instanceof Promise) {
      // The work the callback started keeps the iteration open too, even after clearInterval.
      const hold = (): void => timers.done(hold);
      timers.add(hold);
      if (kind === 'timeout') cancel();
      result.then(hold, (err: unknown) => {
        timers.fail(err);
        hold();
      });
    } else if (kind === 'timeout') cancel();
  };
  const handle: Handle = { kind, timers, cancel, timer: (kind === 'timeout' ? setTimeout : setInterval)(fire, Math.max(0, Number(ms) || 0)) };
  timers.add(cancel);
  handles.set(id, handle);
  return id;
}

function clear(id: number): void {
  handles.get(id)?.cancel();
}

export const timersModule = {
  setTimeout: (fn: (...a: unknown[]) => unknown, ms?: number, ...args: unknown[]) => start('timeout', fn, ms ?? 0, args),
  setInterval: (fn: (...a: unknown[]) => unknown, ms?: number, ...args: unknown[]) => start('interval', fn, ms ?? 0, args),
  clearTimeout: clear,
  clearInterval: clear,
};
