import { dirname } from 'node:path';
import { resolveOptions, type OptionOverrides } from '../config/resolve.js';
import type { ResolvedOptions } from '../config/types.js';
import { createThreadRuntime } from '../engine/thread-setup.js';
import { errorText } from '../engine/error-text.js';
import { ConfigError, ScriptLoadError, type ConfigProblem } from '../errors.js';
import { BUILTIN_METRICS } from '../metrics/builtin.js';
import { Collector } from '../metrics/collector.js';
import type { MetricType } from '../metrics/types.js';
import { installSharedEntries } from '../runtime/shared-registry.js';
import { setThreadRuntime } from '../runtime/thread-runtime.js';
import { bundleScript } from '../script/bundle.js';
import { scenarioPlan, type ScenarioPlanView } from './scenario-plan.js';

/** What `squall inspect` prints. */
export interface InspectResult {
  readonly script: string;
  readonly options: ResolvedOptions;
  readonly plan: { readonly maxVUs: number; readonly maxDurationMs: number; readonly scenarios: readonly ScenarioPlanView[] };
  readonly warnings: readonly string[];
}

/**
 * Loads a script (its init code runs, as at the start of a run; nothing is sent) and resolves
 * its options with the same layers as `squall run`, without running it.
 */
export async function inspectScript(input: {
  script: string;
  baseOptions?: Record<string, unknown> | undefined;
  overrides?: OptionOverrides;
  problems?: readonly ConfigProblem[];
  env?: Readonly<Record<string, string>>;
}): Promise<InspectResult> {
  const bundle = await bundleScript(input.script);
  const collector = new Collector();
  const env = { ...(input.env ?? {}) };
  const runtime = createThreadRuntime({ sink: collector, env, options: undefined, scriptDir: dirname(bundle.sourcePath), abort: () => {} });
  setThreadRuntime(runtime);
  installSharedEntries({});
  (globalThis as Record<string, unknown>).__ENV = env;
  try {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(bundle.bundleUrl)) as Record<string, unknown>;
    } catch (err) {
      const { head, location } = errorText(err, bundle.sourcePath);
      throw new ScriptLoadError(head, location, { cause: err });
    }
    const known = new Map<string, MetricType>(BUILTIN_METRICS.map((m) => [m.name, m.type]));
    for (const d of collector.defs()) known.set(d.name, d.type);
    const own = mod.options;
    const scriptOptions =
      input.baseOptions !== undefined && (own === undefined || own === null || (typeof own === 'object' && !Array.isArray(own)))
        ? { ...input.baseOptions, ...((own ?? {}) as Record<string, unknown>) }
        : own;
    let resolved: ReturnType<typeof resolveOptions>;
    try {
      resolved = resolveOptions({ scriptOptions, overrides: input.overrides ?? {}, knownMetrics: known });
    } catch (err) {
      if (err instanceof ConfigError && (input.problems ?? []).length > 0) throw new ConfigError([...(input.problems ?? []), ...err.problems]);
      throw err;
    }
    if ((input.problems ?? []).length > 0) throw new ConfigError(input.problems ?? []);
    const scenarios = resolved.options.scenarios.map(scenarioPlan);
    return {
      script: bundle.sourcePath,
      options: resolved.options,
      plan: {
        maxVUs: scenarios.reduce((n, s) => n + s.maxVUs, 0),
        maxDurationMs: Math.max(0, ...scenarios.map((s) => s.startTimeMs + s.durationMs + s.gracefulStopMs)),
        scenarios,
      },
      warnings: resolved.warnings,
    };
  } finally {
    await runtime.closeHttp();
    setThreadRuntime(undefined);
    await bundle.dispose();
  }
}
