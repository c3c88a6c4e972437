import type { SummaryData } from '../metrics/types.js';
import type { Slo } from './types.js';

export type SloStatus = 'PASS' | 'WARN' | 'FAIL';

export interface SloRow {
  readonly metric: string;
  readonly stat: string;
  readonly target: string;
  readonly actual: number | undefined;
  readonly status: SloStatus;
}

/** Judges one SLO against a run's summary: FAIL past target, WARN past warn, else PASS (no data: FAIL). */
export function judgeSlo(slo: Slo, summary: SummaryData): SloRow {
  const values = summary.metrics[slo.metric]?.values as Record<string, number> | undefined;
  const actual = values?.[slo.stat];
  const below = slo.below !== false;
  const crosses = (level: number) => (actual === undefined ? true : below ? actual >= level : actual <= level);
  const status: SloStatus = crosses(slo.target) ? 'FAIL' : slo.warn !== undefined && crosses(slo.warn) ? 'WARN' : 'PASS';
  return { metric: slo.metric, stat: slo.stat, target: `${below ? '<' : '>'} ${slo.target}`, actual, status };
}

/** SLOs of a test: the environment's list for that test replaces the test's own where given. */
export function slosFor(own: readonly Slo[] | undefined, envOverride: readonly Slo[] | undefined): readonly Slo[] {
  if (!envOverride) return own ?? [];
  const byKey = new Map((own ?? []).map((s) => [`${s.metric}|${s.stat}`, s]));
  for (const s of envOverride) byKey.set(`${s.metric}|${s.stat}`, s);
  return [...byKey.values()];
}
