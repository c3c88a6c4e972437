import { describe, expect, it } from 'vitest';
import { formatSummary } from '../src/outputs/summary-text.js';
import type { SummaryData } from '../src/metrics/types.js';

// Display faults from issue 16, each pinned.
describe('count thresholds are numbers, not times', () => {
  it('a count threshold on a time Trend shows count=302, not count=302ms', () => {
    const data: SummaryData = {
      metrics: { http_req_duration: { type: 'trend', contains: 'time', values: { avg: 10, min: 1, med: 9, max: 40, 'p(90)': 20, 'p(95)': 30, count: 302 } } },
      root_group: { name: '', path: '', id: 'root', groups: [], checks: [] },
      options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'], summaryTimeUnit: null, noColor: true },
      state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 10_000 },
    };
    const out = formatSummary(data, { color: false, thresholdResults: [{ key: 'http_req_duration', source: 'count>1000', ok: false, actual: 302, noData: false, abortOnFail: false }] });
    expect(out).toContain('count=302');
    expect(out).not.toContain('count=302ms');
  });
});
