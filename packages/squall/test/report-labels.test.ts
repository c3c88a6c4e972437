import { describe, expect, it } from 'vitest';
import { humanThresholdLabel, sloOfThreshold } from '../src/reports/human-labels.js';
import { computeRecommendations, type RecommendationInput } from '../src/reports/recommendations.js';
import { computeThresholdStatuses } from '../src/reports/threshold-status.js';
import { ACTIVITY_SLOS, sloThresholdExpr } from '../src/slos/index.js';

describe('human labels of thresholds', () => {
  it.each([
    ['http_req_duration', 'p(95)<500', 'P95 latency'],
    ['http_req_duration{scenario:api}', 'p(99.9) < 900', 'P99.9 latency (scenario api)'],
    ['http_req_duration{group:::tenant}', 'p(95)<2000', 'P95 latency (group tenant)'],
    ['http_req_failed', 'rate<0.01', 'Error rate'],
    ['checks', 'rate>0.99', 'Checks passed'],
    ['ingest_lag', 'med<1000', 'Median ingest lag'],
    ['events_missing', 'count==0', 'Events lost (count)'],
    ['target_cpu', 'max<0.85', 'Peak target CPU'],
    ['queue_depth', 'value<1000', 'Queue depth'],
    ['my_custom_trend', 'avg<3', 'Average my_custom_trend'],
  ])('%s %s -> %s', (key, source, want) => {
    expect(humanThresholdLabel(key, source)).toBe(want);
  });

  it('finds the SLO a threshold judges, from the one SLO table', () => {
    for (const slo of ACTIVITY_SLOS) expect(sloOfThreshold(slo.threshold.metric, sloThresholdExpr(slo))?.id).toBe(slo.id);
    expect(sloOfThreshold('ingest_lag', 'p(95) < 10000')?.title).toBe('Ingest lag p95');
    expect(sloOfThreshold('ingest_lag', 'p(95)<9000')).toBeUndefined();
  });
});

describe('recommendations from rules', () => {
  const summary = (metrics: Record<string, Record<string, number>>) => ({ metrics: Object.fromEntries(Object.entries(metrics).map(([k, values]) => [k, { type: 'counter', contains: 'default', values }])) }) as unknown as RecommendationInput['summary'];
  const figures = (errorRate: number, checks: { path: string; passes: number; fails: number }[] = []) => ({ total: { errorRate }, checks }) as unknown as RecommendationInput['figures'];
  const base = { thresholds: [], errors: [], resources: [], baseline: undefined, soak: undefined };

  it('none for a clean run', () => {
    expect(computeRecommendations({ ...base, figures: figures(0), summary: summary({}) })).toEqual([]);
  });

  it('a broken SLO brings its own advice; loss, drops, errors, checks and a hot CPU each get one', () => {
    const thresholds = computeThresholdStatuses([{ key: 'ingest_lag', source: 'p(95)<10000', ok: false, actual: 14_000 }], { metrics: { ingest_lag: { type: 'trend', contains: 'time', values: {} } } } as never);
    const recs = computeRecommendations({
      ...base,
      thresholds,
      errors: [['status 503', 40]],
      resources: [{ name: 'target_cpu', unit: 'cores', mean: 0.7, peak: 0.93, last: 0.5 }],
      figures: figures(0.04, [{ path: '::accepted', passes: 90, fails: 10 }]),
      summary: summary({ events_missing: { count: 7 }, dropped_iterations: { count: 12 } }),
    });
    expect(recs[0]).toMatch(/^Ingest lag p95 SLO broken \(14\.0s, limit p\(95\) < 10\.0s\): Ingest lag is over the SLO/);
    expect(recs.join('\n')).toMatch(/7 tracked event\(s\).*data loss/);
    expect(recs.join('\n')).toMatch(/12 iteration\(s\) were dropped/);
    expect(recs.join('\n')).toMatch(/4\.00% of requests failed, most often status 503 \(40 times\)/);
    expect(recs.join('\n')).toMatch(/Check "accepted" failed 10 of 100 times/);
    expect(recs.join('\n')).toMatch(/target_cpu peaked at 93% of a core/);
  });
});
