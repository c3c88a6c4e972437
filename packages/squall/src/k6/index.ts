/**
 * k6 compatibility: squall's implementations of the k6 modules, and the per-VU host the bundle
 * of a k6 script runs in (docs/k6.md).
 */
import { installGlobals, K6Host, type K6HostInit } from './host.js';
import { K6_MODULES } from './modules.js';

export { K6_MODULES } from './modules.js';

/** Called by a k6 bundle when it is imported: evaluates VU 0 and returns the exports the engine reads. */
export function k6Host(init: Omit<K6HostInit, 'modules'>): Record<string, unknown> {
  installGlobals();
  return new K6Host({ ...init, modules: K6_MODULES }).engineExports();
}
