import { SquallError } from '../errors.js';

/** A parsed Trend statistic name (`summaryTrendStats` entry or threshold aggregation). */
export type TrendStat =
  | { readonly kind: 'avg' | 'min' | 'med' | 'max' | 'count'; readonly key: string }
  | { readonly kind: 'p'; readonly key: string; readonly percentile: number };

const PERCENTILE = /^p\((\d+(?:\.\d+)?)\)$/;

/**
 * Parses `avg`, `min`, `med`, `max`, `count` or `p(N)` (0 <= N <= 100, decimals allowed, as k6).
 * Returns undefined for anything else; `key` is the text as given (the summary key).
 */
export function parseTrendStat(text: string): TrendStat | undefined {
  switch (text) {
    case 'avg':
    case 'min':
    case 'med':
    case 'max':
    case 'count':
      return { kind: text, key: text };
  }
  const match = PERCENTILE.exec(text);
  if (match === null || match[1] === undefined) return undefined;
  const percentile = Number(match[1]);
  if (percentile > 100) return undefined;
  return { kind: 'p', key: text, percentile };
}

/**
 * Parses a list of stats; throws SquallError SQUALL_CONFIG_INVALID naming every invalid entry.
 * `optionPath` says where the list came from (e.g. `summaryTrendStats`).
 */
export function parseTrendStats(texts: readonly string[], optionPath: string): TrendStat[] {
  const parsed: TrendStat[] = [];
  const bad: string[] = [];
  for (const text of texts) {
    const stat = parseTrendStat(text);
    if (stat === undefined) bad.push(JSON.stringify(text));
    else parsed.push(stat);
  }
  if (bad.length > 0) {
    throw new SquallError(
      'SQUALL_CONFIG_INVALID',
      `${optionPath}: each stat must be avg, min, med, max, count or p(N) with 0 <= N <= 100, ` +
        `but found ${bad.join(', ')}`,
    );
  }
  return parsed;
}

/** k6's default `summaryTrendStats`. */
export const DEFAULT_SUMMARY_TREND_STATS: readonly string[] = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
