import type { ResolvedOptions } from '../config/types.js';
import { createHttpClient, type HttpClient } from '../http/client.js';
import type { MetricSink, Tags } from '../metrics/types.js';
import { SquallError } from '../errors.js';
import { IterationInterrupted } from '../runtime/interrupted.js';
import type { InstanceCounters, ThreadRuntime } from '../runtime/thread-runtime.js';
import { vuContextStorage } from '../runtime/vu-context.js';

/** Inputs for one thread's runtime. */
export interface ThreadRuntimeInit {
  readonly sink: MetricSink;
  readonly env: Readonly<Record<string, string>>;
  readonly options: ResolvedOptions | undefined;
  readonly abort: (message: string) => void;
  readonly connectionsPerOrigin?: number | undefined;
  /** Directory of the user's script. */
  readonly scriptDir?: string | undefined;
}

/** Builds a ThreadRuntime whose HTTP client is created on first use, with the resolved options. */
export function createThreadRuntime(
  init: ThreadRuntimeInit,
): ThreadRuntime & { closeHttp(): Promise<void>; lastRequestSentAtMs(): number | undefined } {
  let http: HttpClient | undefined;
  const counters: InstanceCounters = { vusActive: 0, vusInitialized: 0, iterationsCompleted: 0, iterationsInterrupted: 0 };
  const runtime = {
    sink: init.sink,
    env: init.env,
    testStartMs: 0,
    counters,
    options: init.options,
    baseTags: (init.options?.tags ?? {}) as Tags,
    abort: init.abort,
    scriptDir: init.scriptDir,
    drainHooks: [] as (() => Promise<void>)[],
    get http(): HttpClient {
      if (http === undefined) {
        const options = runtime.options;
        if (options === undefined) {
          throw new SquallError(
            'SQUALL_USAGE',
            'HTTP requests cannot be made in init code (the top level of the script): make them in setup() or in VU code',
          );
        }
        http = createHttpClient({
          sink: init.sink,
          options,
          connectionsPerOrigin: init.connectionsPerOrigin,
          context: () => {
            const ctx = vuContextStorage.getStore();
            if (ctx === undefined) return { tags: runtime.baseTags, startDelayMs: 0 };
            if (ctx.vu?.interrupted) throw new IterationInterrupted();
            return ctx;
          },
        });
      }
      return http;
    },
    /** performance.now() at which this thread last wrote a request to the wire; undefined before any. */
    lastRequestSentAtMs(): number | undefined {
      const at = http?.lastSentAtMs();
      return at === undefined || at === Number.NEGATIVE_INFINITY ? undefined : at;
    },
    async closeHttp(): Promise<void> {
      await http?.close();
    },
  };
  return runtime;
}
