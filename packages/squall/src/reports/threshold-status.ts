import { formatMs, formatRate, sig3 } from './format-value.js';
import type { MetaThreshold, SummaryDoc } from './results-reader.js';

/** PASS / WARN / FAIL as in seed 000's report; WARN = held, but within the warning band of the limit. */
export type Status = 'PASS' | 'WARN' | 'FAIL';

/** One threshold expression judged for the report. */
export interface ThresholdStatus {
  /** Metric key as written, e.g. `http_req_duration{scenario:api}`. */
  readonly key: string;
  readonly source: string;
  /** Scenario named by the key's `scenario` tag, else undefined (applies to the whole run). */
  readonly scenario: string | undefined;
  /** `p(95) < 200ms` */
  readonly target: string;
  /** `182ms`, or `no data`. */
  readonly actual: string;
  readonly actualValue: number | null;
  readonly limit: number | undefined;
  readonly operator: string | undefined;
  readonly status: Status;
  /** Why WARN/FAIL, in words. */
  readonly note: string;
}

// threshold := AGG OP NUMBER, e.g. p(95)<200, rate<=0.01, count>10 (k6's grammar, without spaces rules)
const EXPR = /^\s*([a-z]+(?:\(\s*\d+(?:\.\d+)?\s*\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

function unitFormat(key: string, aggregation: string, summary: SummaryDoc): (v: number) => string {
  const metric = summary.metrics[key] ?? summary.metrics[key.replace(/\{.*$/, '')];
  if (aggregation === 'rate') return formatRate;
  if (metric?.contains === 'time' && aggregation !== 'count') return formatMs;
  return sig3;
}

/**
 * Judges every threshold of a run. `warnBand` (default 0.1) is the share of the limit within which
 * a threshold that held is WARN: `p(95)<200` with p(95) = 185 is WARN at 10% (185 > 180).
 */
export function computeThresholdStatuses(thresholds: readonly MetaThreshold[], summary: SummaryDoc, warnBand = 0.1): ThresholdStatus[] {
  return thresholds.map((t) => {
    const m = EXPR.exec(t.source);
    const aggregation = m?.[1] ?? t.source;
    const operator = m?.[2];
    const limit = m?.[3] === undefined ? undefined : Number(m[3]);
    const fmt = unitFormat(t.key, aggregation, summary);
    const scenario = /[{,]\s*scenario\s*:\s*([^,}]+)/.exec(t.key)?.[1]?.trim();
    const actual = t.actual === null || t.noData === true ? 'no data' : fmt(t.actual);
    let status: Status = t.ok ? 'PASS' : 'FAIL';
    let note = t.ok ? '' : `${aggregation} is ${actual}, the limit is ${operator ?? ''} ${limit === undefined ? '?' : fmt(limit)}`;
    if (t.ok && t.noData === true) {
      status = 'WARN';
      note = 'no samples: the threshold held only because nothing was measured';
    } else if (t.ok && t.actual !== null && limit !== undefined && limit !== 0 && warnBand > 0) {
      const band = Math.abs(limit) * warnBand;
      const near = (operator === '<' || operator === '<=') ? t.actual > limit - band : (operator === '>' || operator === '>=') ? t.actual < limit + band : false;
      if (near) {
        status = 'WARN';
        note = `within ${(warnBand * 100).toFixed(0)}% of the limit`;
      }
    }
    return {
      key: t.key,
      source: t.source,
      scenario,
      target: operator === undefined || limit === undefined ? t.source : `${aggregation} ${operator} ${fmt(limit)}`,
      actual,
      actualValue: t.actual,
      limit,
      operator,
      status,
      note,
    };
  });
}
