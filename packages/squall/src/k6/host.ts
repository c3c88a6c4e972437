/**
 * Per-VU module instances of a k6 script. The bundle wraps the script's code in a factory; each
 * VU calls it once (its init code) and keeps its own module state, as in k6. VU 0 is the
 * instance that gives `options`, `setup`, `teardown` and `handleSummary` (main thread) and that
 * the worker imports. Shared data (SharedArray) lives outside the instances.
 */
import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { vuContextStorage, type VuState } from '../runtime/vu-context.js';
import { threadRuntime } from '../runtime/thread-runtime.js';
import { runEach } from './each.js';
import { openFile } from './open.js';
import { K6Timers } from './timers-state.js';
import type { K6CookieJar } from './cookies.js';
import type { ExpectedStatuses } from '../config/types.js';

/** What the transformed code reaches through its `__squallK6` parameter. */
export interface K6InstanceApi {
  module(name: string): unknown;
  open(dir: string): (path: string, mode?: string) => string | ArrayBuffer;
  each: typeof runEach;
}

type Factory = (require: NodeRequire, module: { exports: Record<string, unknown> }, exports: Record<string, unknown>, api: K6InstanceApi, math: Math) => void;

/** One VU's module state. */
export class K6Instance {
  exports: Record<string, unknown> = {};
  random: () => number = Math.random;
  /** The VU's cookie jar (reset at the start of each iteration, as k6 does by default). */
  jar: K6CookieJar | undefined;
  /** Set by `http.setResponseCallback`; undefined: the options' expectedStatuses. */
  responseCallback: ExpectedStatuses | undefined;
  readonly timers = new K6Timers();
  initializing = false;
  constructor(readonly vuId: number) {}
}

export interface K6HostInit {
  readonly sourcePath: string;
  readonly exportNames: readonly string[];
  readonly factory: Factory;
  readonly modules: Readonly<Record<string, unknown>>;
}

let active: K6Host | undefined;

/** The k6 script loaded in this thread (the latest one). */
export function activeHost(): K6Host {
  if (active === undefined) throw new Error('k6 modules are only available inside a k6 script run by squall');
  return active;
}

/** The instance of the code running now: the VU's, the one being initialised, or VU 0. */
export function currentInstance(): K6Instance {
  const host = activeHost();
  const vu = vuContextStorage.getStore()?.vu;
  return vu === undefined ? (host.initializing ?? host.zero) : host.instanceFor(vu);
}

export class K6Host {
  readonly zero: K6Instance;
  initializing: K6Instance | undefined;
  /** True once the script imported k6/timers: only then do iterations wait for timers. */
  usesTimers = false;
  readonly #instances = new Map<number, K6Instance>();
  readonly #require: NodeRequire;

  constructor(readonly init: K6HostInit) {
    active = this;
    this.#require = createRequire(init.sourcePath);
    this.zero = new K6Instance(0);
    this.#evaluate(this.zero);
  }

  /** The VU's instance, created (its init code run) on first use. */
  instanceFor(vu: VuState): K6Instance {
    let inst = this.#instances.get(vu.idInTest);
    if (inst === undefined) {
      inst = new K6Instance(vu.idInTest);
      this.#instances.set(vu.idInTest, inst);
      this.#evaluate(inst);
    }
    return inst;
  }

  #evaluate(inst: K6Instance): void {
    const module = { exports: {} as Record<string, unknown> };
    const modules = this.init.modules;
    const api: K6InstanceApi = {
      module: (name) => {
        if (name === 'k6/timers') this.usesTimers = true;
        const m = modules[name];
        if (m === undefined) throw new Error(`squall does not implement the k6 module '${name}'`);
        return m;
      },
      open: (dir) => (path, mode) => {
        if (!inst.initializing) throw new Error('open() only works in init code (outside the default function), as in k6');
        return openFile(dir, path, mode);
      },
      each: runEach,
    };
    const math = Object.create(Math, { random: { value: () => inst.random() } }) as Math;
    const prior = this.initializing;
    this.initializing = inst;
    inst.initializing = true;
    try {
      this.init.factory.call(undefined, this.#require, module, module.exports, api, math);
    } finally {
      inst.initializing = false;
      this.initializing = prior;
    }
    inst.exports = module.exports;
  }

  /** The module's exports for the engine: VU 0's on the main thread; per-VU wrappers of its functions in workers. */
  engineExports(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of this.init.exportNames) {
      const value = this.zero.exports[name];
      out[name] = isMainThread || typeof value !== 'function' ? value : this.#vuFunction(name);
    }
    return out;
  }

  #vuFunction(name: string): (data: unknown) => unknown {
    return (data) => {
      const vu = vuContextStorage.getStore()?.vu;
      const inst = vu === undefined ? this.zero : this.instanceFor(vu);
      // k6 resets the VU's cookie jar every iteration unless options.noCookiesReset.
      if (threadRuntime().options?.noCookiesReset !== true) inst.jar = undefined;
      const fn = inst.exports[name];
      if (typeof fn !== 'function') throw new TypeError(`the script's export '${name}' is not a function in VU ${inst.vuId}`);
      const result = (fn as (d: unknown) => unknown)(data);
      // k6 ends an iteration only when its timers have fired (k6/timers); a callback's error ends it as an iteration error.
      if (!this.usesTimers) return result;
      const timers = inst.timers;
      const settle = (value: unknown): unknown => {
        const failed = timers.takeError();
        if (failed !== undefined) throw failed.value;
        return value;
      };
      // Checked again once idle: a callback may start work (a new hold) in the turn that cleared the last timer.
      const afterTimers = (value: unknown): unknown => (timers.pending === 0 ? settle(value) : timers.idle().then(() => afterTimers(value)));
      // Read after the iteration's own work: an async default function may set its first timer after an await.
      return result instanceof Promise ? result.then(afterTimers) : afterTimers(result);
    };
  }
}

/** Installs `__VU` and `__ITER` (read per call: they depend on the running VU). */
export function installGlobals(): void {
  if (Object.getOwnPropertyDescriptor(globalThis, '__VU')?.get !== undefined) return;
  Object.defineProperty(globalThis, '__VU', {
    configurable: true,
    get: () => {
      const vu = vuContextStorage.getStore()?.vu;
      return vu === undefined ? (active?.initializing?.vuId ?? 0) : vu.idInTest;
    },
  });
  Object.defineProperty(globalThis, '__ITER', {
    configurable: true,
    get: () => Math.max(0, vuContextStorage.getStore()?.vu?.iterationInInstance ?? 0),
  });
}
