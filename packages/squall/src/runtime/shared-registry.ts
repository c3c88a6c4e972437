/**
 * Data shared by every thread of a run without a copy per thread or VU (SharedArray-like files).
 * Init code on the main thread loads each named entry once; the engine hands the registry to every
 * worker before it imports the script, so the worker's init code finds the entry instead of
 * loading it again. Values must be structured-cloneable; SharedArrayBuffers are shared, not copied.
 */
const registry = new Map<string, unknown>();

/** The entry registered under `name`, if any. */
export function sharedEntry(name: string): unknown {
  return registry.get(name);
}

/** Registers `value` under `name` (main thread, during init). */
export function registerSharedEntry(name: string, value: unknown): void {
  registry.set(name, value);
}

/** Every entry, for handing to workers. */
export function sharedEntries(): Record<string, unknown> {
  return Object.fromEntries(registry);
}

/** Installs entries received from the main thread (worker, before importing the script). */
export function installSharedEntries(entries: Readonly<Record<string, unknown>>): void {
  registry.clear();
  for (const [k, v] of Object.entries(entries)) registry.set(k, v);
}
