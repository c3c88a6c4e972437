import { SquallError } from '../errors.js';

/**
 * A regression rule: how far a figure may move in its bad direction before it is a regression.
 *
 * Grammar (one rule per string):  METRIC ":" SIGN LIMIT UNIT
 *   METRIC  a figure key (`latency_p95`, `throughput`, `error_rate`, `resource:cpu_percent`), a
 *           prefix ending in `*` (`resource:*`); a rule on KEY also covers `KEY{scenario:...}`
 *   SIGN    `+` an increase is worse (latency, errors, resources); `-` a decrease is worse (throughput)
 *   LIMIT   a non-negative number
 *   UNIT    `%` relative to the base value, or `pt` absolute percentage points (for rates 0..1)
 * Examples: `latency_p95:+20%`, `throughput:-10%`, `error_rate:+1pt`, `resource:*:+15%`.
 */
export interface RegressionRule {
  readonly metric: string;
  readonly worse: 'increase' | 'decrease';
  readonly limit: number;
  readonly unit: 'percent' | 'points';
  /** The rule as written. */
  readonly source: string;
}

/** Seed 000's regression criteria: throughput -10%, p95 latency +20%, resources +15%, error rate +1 point. */
export const DEFAULT_RULE_SOURCES: readonly string[] = ['throughput:-10%', 'latency_p95:+20%', 'resource:*:+15%', 'error_rate:+1pt'];

const RULE = /^([+-])(\d+(?:\.\d+)?)(%|pt)$/;

/** Parses one rule (grammar above). Throws SquallError SQUALL_USAGE naming the rule and what is wrong. */
export function parseRule(source: string): RegressionRule {
  const text = source.trim();
  const colon = text.lastIndexOf(':');
  const metric = colon < 0 ? '' : text.slice(0, colon).trim();
  const m = RULE.exec(colon < 0 ? '' : text.slice(colon + 1).trim());
  if (metric === '' || m === null) {
    throw new SquallError(
      'SQUALL_USAGE',
      `regression rule ${JSON.stringify(source)}: expected METRIC:+N% , METRIC:-N% or METRIC:+Npt (e.g. latency_p95:+20%, throughput:-10%, error_rate:+1pt)`,
    );
  }
  return { metric, worse: m[1] === '+' ? 'increase' : 'decrease', limit: Number(m[2]), unit: m[3] === '%' ? 'percent' : 'points', source: text };
}

/** Whether `rule` applies to figure `key` (exact, `KEY{...}` per-scenario variants, or a `*` prefix). */
export function ruleMatches(rule: RegressionRule, key: string): boolean {
  if (rule.metric.endsWith('*')) return key.startsWith(rule.metric.slice(0, -1));
  return key === rule.metric || key.startsWith(`${rule.metric}{`);
}

/** The rule for `key`: the last matching one, so rules given later override earlier (and the defaults). */
export function ruleFor(rules: readonly RegressionRule[], key: string): RegressionRule | undefined {
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i] as RegressionRule;
    if (ruleMatches(r, key)) return r;
  }
  return undefined;
}

/** The default rules followed by `extra` (which win where they cover the same figure). */
export function resolveRules(extra: readonly string[] = [], withDefaults = true): RegressionRule[] {
  return [...(withDefaults ? DEFAULT_RULE_SOURCES : []), ...extra].map(parseRule);
}

/** Which direction is better for a figure key, for figures no rule covers. */
export function betterDirection(key: string): 'increase' | 'decrease' {
  return /^(throughput|iterations_rate|checks_rate)/.test(key) ? 'increase' : 'decrease';
}

/** Figure names as a rule writes them: keys without their `{scenario:...}` variants, sorted. */
export function figureNames(keys: Iterable<string>): string[] {
  return [...new Set([...keys].map((k) => k.replace(/\{.*$/, '')))].sort();
}

/**
 * Rejects rules that match none of the figures the runs have (a typo such as `latncy_p95` would
 * otherwise pass silently as "ok"): SquallError SQUALL_CONFIG_INVALID (exit 104) listing the valid names.
 */
export function checkRuleNames(rules: readonly RegressionRule[], keys: Iterable<string>): void {
  const all = [...keys];
  const unknown = rules.filter((r) => !all.some((k) => ruleMatches(r, k)));
  if (unknown.length === 0) return;
  throw new SquallError(
    'SQUALL_CONFIG_INVALID',
    `regression rule${unknown.length > 1 ? 's' : ''} ${unknown.map((r) => JSON.stringify(r.source)).join(', ')} name${unknown.length > 1 ? '' : 's'} no figure of these runs; valid figure names: ${figureNames(all).join(', ')}`,
  );
}

/**
 * checkRuleNames for the rules a user gave (the defaults, such as `resource:*`, may match nothing
 * in a run without resources): SquallError SQUALL_CONFIG_INVALID (exit 104) listing the valid names.
 */
export function checkGivenRuleNames(rules: readonly RegressionRule[], keys: Iterable<string>): void {
  checkRuleNames(rules.filter((r) => !DEFAULT_RULE_SOURCES.includes(r.source)), keys);
}
