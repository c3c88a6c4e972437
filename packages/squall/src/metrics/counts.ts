/** The parts of a summary (in memory, or summary.json read back) the counts come from. */
export interface CountsSource {
  readonly metrics: Readonly<Record<string, { readonly values: Readonly<Record<string, number>> }>>;
  readonly state: { readonly testRunDurationMs: number; readonly requestsSentWindowMs?: number; readonly plannedIterations?: number };
}

// What the run did, in the words a server's own count is compared with (docs/metrics.md): shown
// under COUNTS in the end-of-test summary and in the reports.

/**
 * `iterations: 500 complete and 100 interrupted (gracefulStop: 100)` and `requests: 600 sent at
 * 200.0/s over 3.00s (100 unanswered when the test ended), 500 answered or failed (http_reqs)`.
 */
export function countLines(data: CountsSource): string[] {
  const m = data.metrics;
  const count = (key: string): number => m[key]?.values.count ?? 0;
  const lines: string[] = [];
  if (m.iterations !== undefined || m.iterations_interrupted !== undefined || m.dropped_iterations !== undefined) {
    const causes = Object.keys(m)
      .map((k) => [k, /^iterations_interrupted\{cause:(\w+)\}$/.exec(k)?.[1]] as const)
      .filter((e): e is readonly [string, string] => e[1] !== undefined)
      .map(([k, cause]) => `${cause}: ${count(k)}`);
    const interrupted = count('iterations_interrupted');
    const why = interrupted > 0 && causes.length > 0 ? ` (${causes.join(', ')})` : '';
    const planned = data.state.plannedIterations;
    const dropped = count('dropped_iterations') > 0 || planned !== undefined ? `, ${count('dropped_iterations')} dropped (never started)` : '';
    const of = planned === undefined ? '' : `, of ${planned} planned`;
    lines.push(`iterations: ${count('iterations')} complete and ${interrupted} interrupted${why}${dropped}${of}`);
  }
  const sent = m.http_reqs_sent;
  if (sent !== undefined) {
    const windowMs = data.state.requestsSentWindowMs ?? data.state.testRunDurationMs;
    const unanswered = count('http_reqs_sent{error_code:1060}');
    const late = unanswered > 0 ? ` (${unanswered} unanswered when the test ended)` : '';
    const rate = (sent.values.rate ?? 0).toFixed(1);
    lines.push(`requests:   ${count('http_reqs_sent')} sent at ${rate}/s over ${(windowMs / 1000).toFixed(2)}s${late}, ${count('http_reqs')} answered or failed (http_reqs)`);
  }
  return lines;
}
