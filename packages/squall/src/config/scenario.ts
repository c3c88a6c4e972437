/**
 * One scenario's options, validated and resolved with k6's defaults and rules. Executors are a
 * typed map from name to their keys and resolver, not registered by side effect.
 */
import type { ConfigProblem } from '../errors.js';
import { suggestName } from '../thresholds/suggest.js';
import { describeValue, isRecord } from './describe-value.js';
import { FieldReader, MAX_VUS } from './field-reader.js';
import type { ExecutorName, ResolvedScenario, ScenarioCommon } from './types.js';

/** k6's floor for `duration` and `maxDuration` ("must be at least 1s"). */
export const MIN_DURATION = { ms: 1000, text: '1s' } as const;
const NON_NEGATIVE = { ms: 0, text: '0s' } as const;
const POSITIVE_UNIT = { ms: 0, text: '0s', exclusive: true } as const;

const COMMON_KEYS = ['executor', 'startTime', 'gracefulStop', 'exec', 'env', 'tags'] as const;
const EXEC_NAME = { re: /^[A-Za-z_$][\w$]*$/, rule: 'the name of an exported function' };
/** k6's rule for scenario names. */
const SCENARIO_NAME = /^[0-9A-Za-z_-]+$/;

type Resolver = (r: FieldReader, common: ScenarioCommon) => ResolvedScenario | undefined;
type Spec = { readonly keys: readonly string[]; readonly resolve: Resolver };

const nonNegative = { min: 0 };
const positive = { min: 1 };
const vuCount = { min: 1, max: MAX_VUS };
const vuCountOrZero = { min: 0, max: MAX_VUS };

function iterationBased(executor: 'shared-iterations' | 'per-vu-iterations'): Resolver {
  return (r, common) => {
    const vus = r.int('vus', vuCount, 1);
    const iterations = r.int('iterations', positive, 1);
    const maxDurationMs = r.duration('maxDuration', MIN_DURATION, '10m');
    if (executor === 'shared-iterations' && vus !== undefined && iterations !== undefined && iterations < vus) {
      r.problem('iterations', `must be at least the number of VUs (${vus}) for shared-iterations, but is ${iterations}; lower vus or raise iterations`);
      return undefined;
    }
    if (vus === undefined || iterations === undefined || maxDurationMs === undefined) return undefined;
    return { ...common, executor, vus, iterations, maxDurationMs };
  };
}

function arrivalVUs(r: FieldReader, why: string): { preAllocatedVUs: number; maxVUs: number } | undefined {
  const pre = r.require('preAllocatedVUs', why) ? r.int('preAllocatedVUs', vuCountOrZero) : undefined;
  const max = r.int('maxVUs', vuCountOrZero, pre);
  if (pre === undefined || max === undefined) return undefined;
  if (max < pre) {
    r.problem('maxVUs', `must be at least preAllocatedVUs (${pre}), but is ${max}`);
    return undefined;
  }
  if (max === 0) {
    r.problem('preAllocatedVUs', 'must be at least 1 (or maxVUs must be), but both are 0');
    return undefined;
  }
  return { preAllocatedVUs: pre, maxVUs: max };
}

/** Keys and resolver per executor, with k6's defaults. */
export const EXECUTOR_SPECS: { readonly [E in ExecutorName]: Spec } = {
  'shared-iterations': { keys: ['vus', 'iterations', 'maxDuration'], resolve: iterationBased('shared-iterations') },
  'per-vu-iterations': { keys: ['vus', 'iterations', 'maxDuration'], resolve: iterationBased('per-vu-iterations') },
  'constant-vus': {
    keys: ['vus', 'duration'],
    resolve: (r, common) => {
      const vus = r.int('vus', vuCount, 1);
      const durationMs = r.require('duration', 'for executor constant-vus') ? r.duration('duration', MIN_DURATION) : undefined;
      if (vus === undefined || durationMs === undefined) return undefined;
      return { ...common, executor: 'constant-vus', vus, durationMs };
    },
  },
  'ramping-vus': {
    keys: ['startVUs', 'stages', 'gracefulRampDown'],
    resolve: (r, common) => {
      const startVUs = r.int('startVUs', vuCountOrZero, 1);
      const stages = r.stages('stages');
      const gracefulRampDownMs = r.duration('gracefulRampDown', NON_NEGATIVE, '30s');
      if (startVUs === undefined || stages === undefined || gracefulRampDownMs === undefined) return undefined;
      if (startVUs === 0 && stages.every((s) => s.target === 0)) {
        r.problem('stages', 'must have a target above 0 somewhere when startVUs is 0, but every target is 0');
        return undefined;
      }
      return { ...common, executor: 'ramping-vus', startVUs, stages, gracefulRampDownMs };
    },
  },
  'constant-arrival-rate': {
    keys: ['rate', 'timeUnit', 'duration', 'preAllocatedVUs', 'maxVUs'],
    resolve: (r, common) => {
      const why = 'for executor constant-arrival-rate';
      const rate = r.require('rate', why) ? r.int('rate', positive) : undefined;
      const timeUnitMs = r.duration('timeUnit', POSITIVE_UNIT, '1s');
      const durationMs = r.require('duration', why) ? r.duration('duration', MIN_DURATION) : undefined;
      const vus = arrivalVUs(r, why);
      if (rate === undefined || timeUnitMs === undefined || durationMs === undefined || vus === undefined) return undefined;
      return { ...common, executor: 'constant-arrival-rate', rate, timeUnitMs, durationMs, ...vus };
    },
  },
  'ramping-arrival-rate': {
    keys: ['startRate', 'timeUnit', 'stages', 'preAllocatedVUs', 'maxVUs'],
    resolve: (r, common) => {
      const startRate = r.int('startRate', nonNegative, 0);
      const timeUnitMs = r.duration('timeUnit', POSITIVE_UNIT, '1s');
      const stages = r.stages('stages');
      const vus = arrivalVUs(r, 'for executor ramping-arrival-rate');
      if (startRate === undefined || timeUnitMs === undefined || stages === undefined || vus === undefined) return undefined;
      return { ...common, executor: 'ramping-arrival-rate', startRate, timeUnitMs, stages, ...vus };
    },
  },
};

/** The six executor names, in k6's documentation order. */
export const EXECUTOR_NAMES = Object.keys(EXECUTOR_SPECS) as ExecutorName[];

function isExecutorName(name: unknown): name is ExecutorName {
  return typeof name === 'string' && Object.hasOwn(EXECUTOR_SPECS, name);
}

/**
 * Validates one scenario and applies defaults. `pathOf` names a key's option path (shortcut
 * scenarios map `startVUs` back to `vus`). Pushes every problem found; `undefined` when any.
 */
export function resolveScenario(
  name: string,
  raw: unknown,
  pathOf: (key: string) => string,
  problems: ConfigProblem[],
): ResolvedScenario | undefined {
  const here = pathOf('');
  if (!isRecord(raw)) {
    problems.push({ path: here, message: `must be an object with an executor, such as { executor: "constant-vus", duration: "30s" }, but is ${describeValue(raw)}` });
    return undefined;
  }
  const before = problems.length;
  if (!SCENARIO_NAME.test(name)) {
    problems.push({ path: here, message: `the scenario name may contain only letters, digits, "_" and "-", but is ${JSON.stringify(name)}` });
  }
  const r = new FieldReader(raw, pathOf, problems);
  const executor = raw.executor;
  const known = isExecutorName(executor);
  if (!known) {
    const hint = typeof executor === 'string' ? suggestName(executor, EXECUTOR_NAMES) : undefined;
    r.problem(
      'executor',
      `${r.has('executor') ? `must be one of ${EXECUTOR_NAMES.join(', ')}, but is ${describeValue(executor)}` : `is required; use one of ${EXECUTOR_NAMES.join(', ')}`}${hint ? ` (did you mean "${hint}"?)` : ''}`,
    );
  }
  const spec = known ? EXECUTOR_SPECS[executor] : undefined;
  if (spec) {
    const valid = [...COMMON_KEYS, ...spec.keys];
    for (const key of Object.keys(raw)) {
      if (valid.includes(key)) continue;
      const hint = suggestName(key, valid);
      r.problem(key, `is not an option of executor ${executor}${hint ? ` (did you mean "${hint}"?)` : ''}; valid options are: ${valid.join(', ')}`);
    }
  }
  const startTimeMs = r.duration('startTime', NON_NEGATIVE, '0s');
  const gracefulStopMs = r.duration('gracefulStop', NON_NEGATIVE, '30s');
  const exec = r.string('exec', 'default', EXEC_NAME);
  const env = r.stringRecord('env');
  const tags = r.stringRecord('tags');
  if (!spec) return undefined;
  // Resolve the executor's own options even when a common one is bad, so every problem shows.
  const common = { name, startTimeMs: startTimeMs ?? 0, gracefulStopMs: gracefulStopMs ?? 0, exec: exec ?? '', env: env ?? {}, tags: tags ?? {} };
  const scenario = spec.resolve(r, common);
  return problems.length === before ? scenario : undefined;
}
