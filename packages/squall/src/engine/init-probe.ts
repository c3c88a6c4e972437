import { Worker } from 'node:worker_threads';
import { ScriptLoadError, SquallError } from '../errors.js';
import { workerResourceLimits } from './worker-heap.js';

/** What the probe worker starts with. */
export interface ProbeInit {
  readonly bundleUrl: string;
  readonly sourcePath: string;
  readonly env: Readonly<Record<string, string>>;
}

export type ProbeReply = { readonly type: 'returned' } | { readonly type: 'init-error'; readonly message: string; readonly location: string | undefined };

const probeUrl = new URL('./init-probe-worker.js', import.meta.url);

/**
 * Runs the script's init code once in a worker thread before the main thread runs it, so init
 * code that never returns cannot take the main thread (and with it Ctrl-C) hostage:
 *  - it throws, or calls process.exit(): ScriptLoadError (exit 107), as the main thread would say;
 *  - a top-level await never settles (the thread runs out of work first): ScriptLoadError naming the script;
 *  - it does not return (`while (true) {}`, an await that takes forever) and `signal` aborts
 *    (Ctrl-C, first or second): the worker is ended and SQUALL_INTERRUPTED (exit 105) says so.
 * k6 runs init code once per VU and once more for the options, so one more run is no new semantics.
 */
export function probeInitCode(init: ProbeInit, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const worker = new Worker(probeUrl, { workerData: init, resourceLimits: workerResourceLimits() });
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (err === undefined) resolve();
      else reject(err);
    };
    const onAbort = () =>
      settle(
        new SquallError(
          'SQUALL_INTERRUPTED',
          `stopped by a signal while the init code of ${init.sourcePath} was running: it did not return (a loop that never ends, or an await that never settles?); the test did not start`,
        ),
      );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (msg: ProbeReply) => {
      if (msg.type === 'returned') settle();
      else settle(new ScriptLoadError(msg.message, msg.location ?? init.sourcePath));
    });
    worker.on('error', (err) => settle(new ScriptLoadError(`init code failed: ${err.name}: ${err.message}`, init.sourcePath, { cause: err })));
    worker.on('exit', (code) =>
      settle(
        new ScriptLoadError(
          // 13: Node's code for a top-level await left unsettled when the thread ran out of work.
          code === 0 || code === 13
            ? 'init code did not finish: a top-level await never settled (nothing was left for it to wait on); make every awaited promise resolve or reject'
            : `init code ended its thread (exit code ${code}) before it returned`,
          init.sourcePath,
        ),
      ),
    );
  });
}
