/**
 * Which scenarios a run has: the script's `scenarios`, or one `default` scenario derived from k6's
 * shortcuts (`iterations`, `duration`, `stages`, with `vus`). As in k6, shortcut flags on the CLI
 * replace the script's shortcuts and scenarios entirely; `--vus` alone only overrides `vus`.
 */
import type { ConfigProblem } from '../errors.js';
import { childPath, describeValue, isRecord } from './describe-value.js';
import { resolveScenario } from './scenario.js';
import type { ResolvedScenario } from './types.js';

const KINDS = ['iterations', 'duration', 'stages'] as const;
type Kind = (typeof KINDS)[number];
const FLAG: Readonly<Record<Kind | 'vus', string>> = { iterations: '--iterations', duration: '--duration', stages: '--stage', vus: '--vus' };

/** A value with the option path it came from. */
interface Sourced {
  readonly value: unknown;
  readonly path: string;
}

/** Shortcut values from the script and from CLI flags. */
export interface ShortcutInput {
  readonly script: Readonly<Record<string, unknown>>;
  readonly cli: { readonly vus?: unknown; readonly duration?: unknown; readonly iterations?: unknown; readonly stages?: unknown };
}

const set = (v: unknown): boolean => v !== undefined && v !== null;

function scenariosObject(raw: unknown, problems: ConfigProblem[]): ResolvedScenario[] {
  if (!isRecord(raw) || Object.keys(raw).length === 0) {
    problems.push({ path: 'scenarios', message: `must be an object with at least one scenario, such as { api: { executor: "constant-vus", duration: "30s" } }, but is ${describeValue(raw)}` });
    return [];
  }
  const out: ResolvedScenario[] = [];
  for (const [name, config] of Object.entries(raw)) {
    const base = childPath('scenarios', name);
    const scenario = resolveScenario(name, config, (key) => (key === '' ? base : childPath(base, key)), problems);
    if (scenario) out.push(scenario);
  }
  return out;
}

/** Resolves the run's scenarios, pushing problems and warnings. */
export function resolveScenarios(input: ShortcutInput, problems: ConfigProblem[], warnings: string[]): ResolvedScenario[] {
  const { script, cli } = input;
  const scriptKinds = KINDS.filter((k) => set(script[k]));
  const cliKinds = KINDS.filter((k) => set(cli[k]));
  const hasScenarios = set(script.scenarios);
  if (hasScenarios) {
    for (const k of scriptKinds) {
      problems.push({ path: k, message: 'cannot be combined with scenarios; use either the shortcut options (vus, duration, iterations, stages) or scenarios' });
    }
  }
  const fromCli = cliKinds.length > 0;
  const kinds = fromCli ? cliKinds : scriptKinds;
  const get = (k: Kind): Sourced | undefined => {
    const value = fromCli ? cli[k] : script[k];
    return set(value) ? { value, path: fromCli ? FLAG[k] : k } : undefined;
  };
  const vus: Sourced | undefined = set(cli.vus) ? { value: cli.vus, path: FLAG.vus } : set(script.vus) ? { value: script.vus, path: 'vus' } : undefined;
  if (fromCli && (hasScenarios || scriptKinds.length > 0)) {
    const replaced = [...(hasScenarios ? ['scenarios'] : []), ...scriptKinds].join(', ');
    warnings.push(`the ${cliKinds.map((k) => FLAG[k]).join(' and ')} flag${cliKinds.length > 1 ? 's' : ''} replace${cliKinds.length > 1 ? '' : 's'} the script's ${replaced}`);
  }

  if (kinds.length === 0) {
    if (vus && vus.value !== 1) {
      warnings.push(`${vus.path} is ignored: it only applies together with iterations, duration or stages${hasScenarios ? ' (scenarios set their own VUs)' : ''}`);
    }
    if (hasScenarios) return scenariosObject(script.scenarios, problems);
    return [defaultScenario()];
  }

  const iterations = get('iterations');
  const duration = get('duration');
  const stages = get('stages');
  if (stages && (iterations || duration)) {
    const other = iterations ? iterations.path : (duration as Sourced).path;
    problems.push({ path: stages.path, message: `cannot be combined with ${other}; use one shortcut: iterations (with optional duration), duration, or stages` });
    return [];
  }
  const paths: Record<string, string> = { '': 'options' };
  const raw: Record<string, unknown> = {};
  const put = (key: string, from: Sourced | undefined): void => {
    if (!from) return;
    raw[key] = from.value;
    paths[key] = from.path;
  };
  if (iterations) {
    raw.executor = 'shared-iterations';
    put('iterations', iterations);
    put('vus', vus);
    put('maxDuration', duration);
  } else if (duration) {
    raw.executor = 'constant-vus';
    put('duration', duration);
    put('vus', vus);
  } else {
    raw.executor = 'ramping-vus';
    put('stages', stages);
    put('startVUs', vus);
  }
  const scenario = resolveScenario('default', raw, (key) => paths[key] ?? key, problems);
  return scenario ? [scenario] : [];
}

/** k6's run with no execution options: one VU, one iteration. */
function defaultScenario(): ResolvedScenario {
  return {
    name: 'default',
    executor: 'shared-iterations',
    vus: 1,
    iterations: 1,
    maxDurationMs: 600_000,
    startTimeMs: 0,
    gracefulStopMs: 30_000,
    exec: 'default',
    env: {},
    tags: {},
  };
}
