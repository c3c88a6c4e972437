import type { PromSample } from './prometheus-series.js';

/** Content-Type of the Prometheus text exposition format this module writes. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A label value escaped for the text format: backslash, double quote and newline. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * Samples in the Prometheus text exposition format (0.0.4): one `# TYPE` line per name, then its
 * samples, names in sorted order so each family is contiguous as the format requires. No timestamps:
 * the scraper stamps the scrape.
 */
export function formatExposition(samples: readonly PromSample[]): string {
  const byName = new Map<string, PromSample[]>();
  for (const s of samples) {
    const list = byName.get(s.name);
    if (list === undefined) byName.set(s.name, [s]);
    else list.push(s);
  }
  const lines: string[] = [];
  for (const name of [...byName.keys()].sort()) {
    const list = byName.get(name) as PromSample[];
    lines.push(`# TYPE ${name} ${list[0]?.kind ?? 'gauge'}`);
    for (const s of list) {
      const labels = s.labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
      lines.push(`${name}${labels === '' ? '' : `{${labels}}`} ${formatValue(s.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
