/**
 * The API test scripts import from `squall`. Every function reads the calling VU from the
 * thread's async context, so one module instance serves all VUs of a worker.
 */
import type { HttpClient } from '../http/client.js';
import type { Tags } from '../metrics/types.js';
import { IterationInterrupted, TestAbort } from '../runtime/interrupted.js';
import { setTimeoutUntil } from '../runtime/precise-timer.js';
import { threadRuntime, type ThreadRuntime } from '../runtime/thread-runtime.js';
import { vuContextStorage, type VuContext } from '../runtime/vu-context.js';

export { Counter, Gauge, Rate, Trend } from './metric-classes.js';

interface BuiltinIds {
  checks: number;
  groupDuration: number;
}
const idsByRuntime = new WeakMap<ThreadRuntime, BuiltinIds>();
function builtinIds(rt: ThreadRuntime): BuiltinIds {
  let ids = idsByRuntime.get(rt);
  if (ids === undefined) {
    ids = {
      checks: rt.sink.define({ name: 'checks', type: 'rate', contains: 'default' }),
      groupDuration: rt.sink.define({ name: 'group_duration', type: 'trend', contains: 'time' }),
    };
    idsByRuntime.set(rt, ids);
  }
  return ids;
}

function currentContext(rt: ThreadRuntime): VuContext {
  const ctx = vuContextStorage.getStore();
  if (ctx?.vu?.interrupted) throw new IterationInterrupted();
  return ctx ?? { vu: undefined, groupPath: '', tags: rt.baseTags, startDelayMs: 0 };
}

type HttpMethodName = Exclude<keyof HttpClient, 'close'>;
function forward<K extends HttpMethodName>(name: K): HttpClient[K] {
  return ((...args: unknown[]) => (threadRuntime().http[name] as (...a: unknown[]) => unknown)(...args)) as HttpClient[K];
}

/** HTTP client (k6 `k6/http` shape, async): `await http.get(url)`. */
export const http = {
  get: forward('get'),
  head: forward('head'),
  options: forward('options'),
  post: forward('post'),
  put: forward('put'),
  patch: forward('patch'),
  del: forward('del'),
  request: forward('request'),
  batch: forward('batch'),
};

/** Pauses the calling VU for `seconds` (fractions allowed). Must be awaited. */
export function sleep(seconds: number): Promise<void> {
  const rt = threadRuntime();
  currentContext(rt);
  const ms = Math.max(0, Number(seconds) * 1000);
  if (!Number.isFinite(ms)) throw new TypeError(`sleep() needs a number of seconds, but got ${String(seconds)}`);
  const deadline = performance.now() + ms;
  return new Promise((resolve) => {
    setTimeoutUntil(deadline, resolve);
  });
}

type CheckSet<T> = Record<string, ((value: T) => unknown) | boolean>;

/**
 * Evaluates each named condition on `value`, records a `checks` sample per condition (tagged
 * `check: name`), and returns true when all passed. Predicates are synchronous, as in k6.
 */
export function check<T>(value: T, sets: CheckSet<T>, tags?: Record<string, string>): boolean {
  const rt = threadRuntime();
  const ctx = currentContext(rt);
  const ids = builtinIds(rt);
  let all = true;
  for (const [name, cond] of Object.entries(sets)) {
    const ok = typeof cond === 'function' ? Boolean(cond(value)) : Boolean(cond);
    if (!ok) all = false;
    const tagSet = rt.sink.tagSet({ ...ctx.tags, ...tags, check: name });
    rt.sink.add(ids.checks, tagSet, ok ? 1 : 0);
  }
  return all;
}

/**
 * Runs `fn` inside group `name`: samples it emits carry `group: ::outer::name`, and its
 * duration is recorded as `group_duration`. Returns what `fn` returns.
 */
export async function group<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const rt = threadRuntime();
  const ctx = currentContext(rt);
  if (typeof name !== 'string' || name === '' || name.includes('::')) {
    throw new TypeError(`group() needs a non-empty name without "::", but got ${JSON.stringify(name)}`);
  }
  const groupPath = `${ctx.groupPath}::${name}`;
  const inner: VuContext = { ...ctx, groupPath, tags: { ...ctx.tags, group: groupPath } };
  const started = performance.now();
  try {
    return await vuContextStorage.run(inner, fn);
  } finally {
    const ids = builtinIds(rt);
    rt.sink.add(ids.groupDuration, rt.sink.tagSet(inner.tags), performance.now() - started);
  }
}

/** Ends the current iteration with an error carrying `message` (k6 `fail`). */
export function fail(message = 'fail() called'): never {
  throw new Error(message);
}

/** Execution context (k6 `k6/execution`). Read inside VU code. */
export const exec = {
  get vu() {
    const vu = vuContextStorage.getStore()?.vu;
    if (vu === undefined) throw new TypeError('exec.vu is only available inside VU code (not in init, setup or teardown)');
    return {
      idInInstance: vu.idInInstance,
      idInTest: vu.idInTest,
      iterationInInstance: vu.iterationInInstance,
      iterationInScenario: vu.iterationInScenario,
      /** Tags added to every sample this VU emits from now on. */
      tags: vu.customTags,
    };
  },
  get scenario() {
    const vu = vuContextStorage.getStore()?.vu;
    if (vu === undefined) throw new TypeError('exec.scenario is only available inside VU code');
    return {
      name: vu.scenario.name,
      executor: vu.scenario.executor,
      startTime: vu.scenario.startTimeMs,
      iterationInInstance: vu.scenario.iterationsInInstance,
    };
  },
  get instance() {
    const rt = threadRuntime();
    return {
      vusActive: rt.counters.vusActive,
      vusInitialized: rt.counters.vusInitialized,
      iterationsCompleted: rt.counters.iterationsCompleted,
      iterationsInterrupted: rt.counters.iterationsInterrupted,
      currentTestRunDuration: rt.testStartMs === 0 ? 0 : Date.now() - rt.testStartMs,
    };
  },
  test: {
    /** Stops the whole test at once; squall exits with code 108. */
    abort(message = 'test aborted by the script'): never {
      threadRuntime().abort(message);
      throw new TestAbort(message);
    },
    get options() {
      return threadRuntime().options;
    },
  },
};

/** Environment: the process environment plus `-e KEY=VALUE` flags (also `globalThis.__ENV`). */
export const env: Readonly<Record<string, string>> = new Proxy({} as Record<string, string>, {
  get: (_t, key) => (typeof key === 'string' ? threadRuntime().env[key] : undefined),
  has: (_t, key) => typeof key === 'string' && key in threadRuntime().env,
  ownKeys: () => Reflect.ownKeys(threadRuntime().env),
  getOwnPropertyDescriptor: (_t, key) =>
    typeof key === 'string' && key in threadRuntime().env
      ? { value: threadRuntime().env[key], enumerable: true, configurable: true }
      : undefined,
});

export type { Tags };
