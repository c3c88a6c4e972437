import { describe, expect, it } from 'vitest';
import { countLines, type CountsSource } from './counts.js';

const counter = (count: number, rate = 0) => ({ values: { count, rate } });

describe('countLines', () => {
  it('states complete, interrupted by cause, dropped, and sent requests with the unanswered ones', () => {
    const data: CountsSource = {
      metrics: {
        iterations: counter(500),
        iterations_interrupted: counter(100),
        'iterations_interrupted{cause:gracefulStop}': counter(98),
        'iterations_interrupted{cause:signal}': counter(2),
        dropped_iterations: counter(3),
        http_reqs: counter(502),
        http_reqs_sent: counter(600, 200),
        'http_reqs_sent{error_code:1060}': counter(98),
      },
      state: { testRunDurationMs: 3012, requestsSentWindowMs: 3000, plannedIterations: 603 },
    };
    expect(countLines(data)).toEqual([
      'iterations: 500 complete and 100 interrupted (gracefulStop: 98, signal: 2), 3 dropped (never started), of 603 planned',
      'requests:   600 sent at 200.0/s over 3.00s (98 unanswered when the test ended), 502 answered or failed (http_reqs)',
    ]);
  });

  it('says 0 interrupted when none were, and has no request line without HTTP', () => {
    expect(countLines({ metrics: { iterations: counter(7) }, state: { testRunDurationMs: 1000 } })).toEqual(['iterations: 7 complete and 0 interrupted']);
    expect(countLines({ metrics: {}, state: { testRunDurationMs: 1000 } })).toEqual([]);
  });
});
