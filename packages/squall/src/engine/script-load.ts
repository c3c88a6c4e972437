import { resolveOptions } from '../config/resolve.js';
import type { ResolvedOptions } from '../config/types.js';
import { ConfigError, ScriptLoadError, type ConfigProblem } from '../errors.js';
import { BUILTIN_METRICS } from '../metrics/builtin.js';
import type { Collector } from '../metrics/collector.js';
import type { MetricType } from '../metrics/types.js';
import { installExitGuard } from '../runtime/exit-guard.js';
import { bundleScript, type BundledScript } from '../script/bundle.js';
import { errorText } from './error-text.js';
import { probeInitCode } from './init-probe.js';
import type { RunTestInput } from './run-types.js';

/**
 * Bundles the script and runs its init code once in a probe thread. On success the exit guard
 * stays installed (the caller restores it when the run ends); on failure both are undone here.
 */
export async function loadBundle(input: RunTestInput, env: Record<string, string>): Promise<{ bundle: BundledScript; restoreExit: () => void }> {
  const bundle = await bundleScript(input.script);
  process.setSourceMapsEnabled(true);
  // Scripts cannot end the process (runtime/exit-guard.ts); init code that does not return cannot hold the main thread (init-probe.ts).
  const restoreExit = installExitGuard(true);
  const initSignals = [input.stopSignal, input.killSignal].filter((x): x is AbortSignal => x !== undefined);
  try {
    await probeInitCode({ bundleUrl: bundle.bundleUrl, sourcePath: bundle.sourcePath, env }, initSignals.length > 0 ? AbortSignal.any(initSignals) : undefined);
  } catch (err) {
    restoreExit();
    await bundle.dispose();
    throw err;
  }
  return { bundle, restoreExit };
}

/** Imports the bundle on the main thread; an exception in init code becomes a ScriptLoadError at the script's line. */
export async function importScript(bundle: BundledScript): Promise<Record<string, unknown>> {
  try {
    return (await import(bundle.bundleUrl)) as Record<string, unknown>;
  } catch (err) {
    const { head, location } = errorText(err, bundle.sourcePath);
    throw new ScriptLoadError(head, location, { cause: err });
  }
}

/**
 * The run's options: config file under the script's `options`, the caller's over them, then the
 * CLI overrides; every problem (the caller's and the script's) reported in one ConfigError.
 * Metrics the init code defined (on `collector`) count as known for thresholds.
 */
export function resolveScriptOptions(input: RunTestInput, mod: Record<string, unknown>, collector: Collector, warn: (m: string) => void): ResolvedOptions {
  const knownMetrics = new Map<string, MetricType>(BUILTIN_METRICS.map((m) => [m.name, m.type]));
  for (const def of collector.defs()) knownMetrics.set(def.name, def.type);
  const merged = mergeOptions(underScript(input.baseOptions, mod.options), input.options);
  const scriptOptions = input.transformScriptOptions === undefined ? merged : input.transformScriptOptions(merged);
  const resolved = resolveWithProblems(
    () => resolveOptions({ scriptOptions, overrides: input.overrides ?? {}, knownMetrics }),
    input.problems ?? [],
  );
  for (const w of resolved.warnings) warn(w);
  const options = resolved.options;
  checkExports(options, mod);
  return options;
}

function resolveWithProblems<T>(resolveFn: () => T, earlier: readonly ConfigProblem[]): T {
  let resolved: T;
  try {
    resolved = resolveFn();
  } catch (err) {
    if (err instanceof ConfigError && earlier.length > 0) throw new ConfigError([...earlier, ...err.problems]);
    throw err;
  }
  if (earlier.length > 0) throw new ConfigError(earlier);
  return resolved;
}

/** Config-file options under the script's; a script `options` that is not an object is left for validation to report. */
function underScript(base: Record<string, unknown> | undefined, fromScript: unknown): unknown {
  if (base === undefined) return fromScript;
  if (fromScript === undefined || fromScript === null) return base;
  if (typeof fromScript !== 'object' || Array.isArray(fromScript)) return fromScript;
  return { ...base, ...(fromScript as Record<string, unknown>) };
}

function mergeOptions(fromScript: unknown, fromCaller: Record<string, unknown> | undefined): unknown {
  if (fromCaller === undefined) return fromScript;
  if (fromScript === undefined || fromScript === null || typeof fromScript !== 'object') return fromCaller;
  return { ...(fromScript as Record<string, unknown>), ...fromCaller };
}

function checkExports(options: ResolvedOptions, mod: Record<string, unknown>): void {
  const problems: ConfigProblem[] = [];
  for (const s of options.scenarios) {
    if (typeof mod[s.exec] === 'function') continue;
    const exported = Object.keys(mod).filter((k) => typeof mod[k] === 'function' && !['setup', 'teardown', 'handleSummary'].includes(k));
    problems.push({
      path: s.exec === 'default' ? `scenarios.${s.name}` : `scenarios.${s.name}.exec`,
      message:
        s.exec === 'default'
          ? `the script has no default export to run; export a default function or set exec to one of: ${exported.join(', ') || '(none)'}`
          : `the script exports no function named "${s.exec}"; exported functions: ${exported.join(', ') || '(none)'}`,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
