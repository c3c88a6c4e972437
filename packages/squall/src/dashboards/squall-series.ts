import { promMetricName, promSafeName, trendStatSuffix } from '../outputs/prometheus-naming.js';
import type { Slo } from '../slos/index.js';

/**
 * PromQL over squall's own series as its Prometheus output names them (k6's naming: `k6_` prefix,
 * Counters `_total`, Rates `_rate`, one gauge per Trend stat, time Trends in seconds; see
 * outputs/prometheus-naming.ts). Every query of the load-test board is built here so the names
 * follow the output's code, not a copy of it.
 */

/** Label matchers every squall query carries: the run, scenario and tenant template variables. */
export const RUN_SELECTOR = 'testid=~"$testid", scenario=~"$scenario", tenant=~"$tenant"';

/** The baseline run's matchers (`$baseline` empty: nothing matches, no overlay). */
export const BASELINE_SELECTOR = 'testid="$baseline"';

/** `k6_<metric>_total{sel}` and so on: the series name of a squall metric and kind. */
export function squallName(metric: string, kind: 'counter' | 'gauge' | 'rate' | { stat: string }): string {
  if (kind === 'counter') return promMetricName(metric, 'total');
  if (kind === 'rate') return promMetricName(metric, 'rate');
  if (kind === 'gauge') return promMetricName(metric, '');
  return promMetricName(metric, trendStatSuffix(kind.stat));
}

/** `{a="b", SEL}` from a squall sub-metric selector (`http_req_failed{scenario:ingest}`) and extra matchers. */
export function parseSubMetric(metric: string): { name: string; matchers: string[] } {
  const m = /^([^{]+)(?:\{(.*)\})?$/.exec(metric.trim());
  const name = (m?.[1] ?? metric).trim();
  const matchers = (m?.[2] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf(':');
      return `${promSafeName(p.slice(0, i).trim())}=${JSON.stringify(p.slice(i + 1).trim())}`;
    });
  return { name, matchers };
}

/** The series suffix of a threshold aggregation (`p(95)` -> Trend stat, `rate` -> Rate, else Gauge/Counter). */
function kindOfAgg(agg: string): 'counter' | 'gauge' | 'rate' | { stat: string } {
  if (agg === 'rate') return 'rate';
  if (agg === 'count') return 'counter';
  if (agg === 'value' || agg === 'min' || agg === 'max') return 'gauge';
  return { stat: agg };
}

/**
 * The SLO's figure measured by squall during a run, as PromQL in the SLO's unit (seconds for time
 * Trends; a success ratio for a failure-Rate threshold). `selector`: extra matchers.
 */
export function sloSquallFigure(slo: Slo, selector: string = RUN_SELECTOR): string {
  const { name, matchers } = parseSubMetric(slo.threshold.metric);
  const series = squallName(name, kindOfAgg(slo.threshold.agg));
  const sel = [...matchers, selector].filter((s) => s !== '').join(', ');
  const figure = `max(${series}{${sel}})`;
  return slo.threshold.complement === true ? `1 - ${figure}` : figure;
}
