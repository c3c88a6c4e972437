import type { RunFigures } from '../reports/run-figures.js';
import { rankTestGreater } from './rank-test.js';
import { betterDirection, ruleFor, type RegressionRule } from './rules.js';

/**
 * What a delta means:
 *   regression   worse by more than its rule, and (when interval samples allow) distinguishable from noise
 *   noise        worse by more than its rule, but the rank test cannot tell it from run-to-run noise
 *   improvement  better by more than its rule
 *   ok           within its rule
 *   info         no rule covers this figure
 */
export type DeltaVerdict = 'regression' | 'noise' | 'improvement' | 'ok' | 'info';

/** One figure compared between two runs. */
export interface Delta {
  readonly key: string;
  readonly base: number;
  readonly current: number;
  /** Relative change (current/base - 1), or NaN when base is 0. */
  readonly relative: number;
  /** Absolute change in percentage points (for rates 0..1: (current - base) * 100). */
  readonly points: number;
  readonly direction: 'better' | 'worse' | 'same';
  readonly rule: string | undefined;
  readonly exceedsRule: boolean;
  /**
   * Confidence (0..1) that the current run is worse than the base, from a one-sided Mann-Whitney
   * test across per-interval samples; undefined when either run has too few samples.
   */
  readonly confidence: number | undefined;
  readonly verdict: DeltaVerdict;
}

/** Options for computeComparison. */
export interface ComparisonOptions {
  readonly rules: readonly RegressionRule[];
  /** Confidence a change must reach to count as a regression (default 0.95). */
  readonly confidence?: number;
  /** Fewest per-interval samples on each side for the rank test (default 5). */
  readonly minSamples?: number;
  /** When false, a change beyond its rule is a regression whatever the noise (default true). */
  readonly noiseAware?: boolean;
}

/** Two runs compared: every common figure with its verdict. */
export interface Comparison {
  readonly base: RunRef;
  readonly current: RunRef;
  readonly deltas: readonly Delta[];
  readonly regressions: number;
  readonly requiredConfidence: number;
  readonly noiseAware: boolean;
}

/** Which run a side of a comparison is. */
export interface RunRef {
  readonly test: string;
  readonly runId: string;
  readonly startedAt: string;
  /** Where it came from: results dir, history entry, or `baseline NAME`. */
  readonly label: string;
}

const EPS = 1e-12;

function exceeds(rule: RegressionRule, relative: number, points: number, sign: 1 | -1): boolean {
  // sign 1: the rule's worse direction; -1: the better direction (improvements use the same limit).
  const dir = rule.worse === 'increase' ? sign : -sign;
  if (rule.unit === 'points') return dir * points > rule.limit + EPS;
  // From a base of 0 any move is an unbounded relative change: beyond every % limit in its own direction.
  if (Number.isNaN(relative)) return dir * points > EPS;
  return dir * relative * 100 > rule.limit + EPS;
}

function confidenceWorse(key: string, worse: 'increase' | 'decrease', base: RunFigures, current: RunFigures, minSamples: number): number | undefined {
  const a = base.intervals[key];
  const b = current.intervals[key];
  if (a === undefined || b === undefined || a.length < minSamples || b.length < minSamples) return undefined;
  const r = worse === 'increase' ? rankTestGreater(a, b) : rankTestGreater(b, a);
  return 1 - r.pValue;
}

/** Applies `rules` to every figure the two runs share (pure). */
export function computeComparison(base: RunFigures, current: RunFigures, labels: { base: string; current: string }, opts: ComparisonOptions): Comparison {
  const required = opts.confidence ?? 0.95;
  const minSamples = opts.minSamples ?? 5;
  const noiseAware = opts.noiseAware ?? true;
  const deltas: Delta[] = [];
  for (const key of Object.keys(current.metrics)) {
    const b = base.metrics[key];
    const c = current.metrics[key];
    if (b === undefined || c === undefined) continue;
    const relative = b === 0 ? (c === 0 ? 0 : Number.NaN) : c / b - 1;
    const points = (c - b) * 100;
    const rule = ruleFor(opts.rules, key);
    const worseWhen = rule?.worse ?? (betterDirection(key) === 'increase' ? 'decrease' : 'increase');
    const diff = c - b;
    const direction = Math.abs(diff) <= EPS * Math.max(1, Math.abs(b)) ? 'same' : (diff > 0) === (worseWhen === 'increase') ? 'worse' : 'better';
    const confidence = confidenceWorse(key, worseWhen, base, current, minSamples);
    let verdict: DeltaVerdict = 'info';
    let exceedsRule = false;
    if (rule !== undefined) {
      if (exceeds(rule, relative, points, 1)) {
        exceedsRule = true;
        const significant = !noiseAware || confidence === undefined || confidence >= required;
        verdict = significant ? 'regression' : 'noise';
      } else if (exceeds(rule, relative, points, -1)) {
        verdict = 'improvement';
      } else {
        verdict = 'ok';
      }
    }
    deltas.push({ key, base: b, current: c, relative, points, direction, rule: rule?.source, exceedsRule, confidence, verdict });
  }
  const ref = (f: RunFigures, label: string): RunRef => ({ test: f.test, runId: f.runId, startedAt: f.startedAt, label });
  return {
    base: ref(base, labels.base),
    current: ref(current, labels.current),
    deltas,
    regressions: deltas.filter((d) => d.verdict === 'regression').length,
    requiredConfidence: required,
    noiseAware,
  };
}
