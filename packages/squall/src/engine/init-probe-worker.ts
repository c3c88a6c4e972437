/**
 * Worker entry of the init probe (init-probe.ts): runs the script's init code once, off the main
 * thread, and says whether it returned. Talks to the main thread only by messages.
 */
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { Collector } from '../metrics/collector.js';
import { installExitGuard } from '../runtime/exit-guard.js';
import { installSharedEntries } from '../runtime/shared-registry.js';
import { setThreadRuntime } from '../runtime/thread-runtime.js';
import { errorText } from './error-text.js';
import type { ProbeInit, ProbeReply } from './init-probe.js';
import { createThreadRuntime } from './thread-setup.js';

const init = workerData as ProbeInit;
const post = (msg: ProbeReply) => parentPort!.postMessage(msg);
process.setSourceMapsEnabled(true);
installExitGuard();
setThreadRuntime(createThreadRuntime({ sink: new Collector({}), env: init.env, options: undefined, scriptDir: dirname(init.sourcePath), abort: () => {} }));
installSharedEntries({});
(globalThis as Record<string, unknown>).__ENV = init.env;

try {
  await import(init.bundleUrl);
  post({ type: 'returned' });
} catch (err) {
  const { head, location } = errorText(err, init.sourcePath);
  post({ type: 'init-error', message: head, location });
}
