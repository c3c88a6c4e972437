/** k6/timers: setTimeout and friends that keep the VU's iteration open until they fire, as in k6. */
import { currentInstance } from './host.js';

type Handle = { kind: 'timeout' | 'interval'; timer: NodeJS.Timeout; done: () => void; cleared: boolean };
const handles = new Map<number, Handle>();
let nextId = 1;

function start(kind: Handle['kind'], fn: (...a: unknown[]) => unknown, ms: number, args: unknown[]): number {
  if (typeof fn !== 'function') throw new TypeError(`set${kind === 'timeout' ? 'Timeout' : 'Interval'}() needs a function`);
  const timers = currentInstance().timers;
  const id = nextId++;
  timers.add();
  const handle: Handle = {
    kind,
    cleared: false,
    done: () => {
      if (handle.cleared) return;
      handle.cleared = true;
      handles.delete(id);
      timers.done();
    },
    timer: (kind === 'timeout' ? setTimeout : setInterval)(() => {
      // A callback that calls http.* was made async by the transform: the iteration stays open
      // until what it started has finished, as k6's event loop keeps it open.
      let result: unknown;
      try {
        result = fn(...args);
      } catch (err) {
        if (kind === 'timeout') handle.done();
        throw err;
      }
      if (kind !== 'timeout') return;
      if (result instanceof Promise) void result.finally(() => handle.done()).catch(() => undefined);
      else handle.done();
    }, Math.max(0, Number(ms) || 0)),
  };
  handles.set(id, handle);
  return id;
}

function clear(id: number): void {
  const h = handles.get(id);
  if (h === undefined) return;
  clearTimeout(h.timer);
  h.done();
}

export const timersModule = {
  setTimeout: (fn: (...a: unknown[]) => unknown, ms?: number, ...args: unknown[]) => start('timeout', fn, ms ?? 0, args),
  setInterval: (fn: (...a: unknown[]) => unknown, ms?: number, ...args: unknown[]) => start('interval', fn, ms ?? 0, args),
  clearTimeout: clear,
  clearInterval: clear,
};
