import type { SummaryData } from '../metrics/types.js';
import { formatSummary } from '../outputs/summary-text.js';

/** The default end-of-test text, for `handleSummary` to include: `{ stdout: textSummary(data) }`. */
export function textSummary(data: SummaryData, opts: { enableColors?: boolean } = {}): string {
  return formatSummary(data, { color: opts.enableColors ?? false });
}
