import { unescapeLabel, type SeriesSelector } from './series-selector.js';

/** One sample line of the Prometheus text format. */
export interface ExpositionSample {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;

/**
 * Parses Prometheus text exposition (version 0.0.4): `# HELP`/`# TYPE` and blank lines are
 * skipped, timestamps ignored, `NaN`/`+Inf` kept as numbers. Written by hand: prom-client only
 * writes this format, and the parser is 30 lines. Malformed lines are skipped, not fatal: a target's
 * odd line must not stop a test.
 */
export function parseExposition(text: string): ExpositionSample[] {
  const out: ExpositionSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    let metric: string;
    let rest: string;
    const labels: Record<string, string> = {};
    const brace = line.indexOf('{');
    const space = line.search(/\s/);
    if (brace >= 0 && (space < 0 || brace < space)) {
      const close = line.lastIndexOf('}');
      if (close < brace) continue;
      metric = line.slice(0, brace);
      for (const m of line.slice(brace + 1, close).matchAll(LABEL)) labels[m[1] as string] = unescapeLabel(m[2] as string);
      rest = line.slice(close + 1).trim();
    } else {
      if (space < 0) continue;
      metric = line.slice(0, space);
      rest = line.slice(space + 1).trim();
    }
    const valueText = rest.split(/\s+/)[0] ?? '';
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    if (valueText === '' || (Number.isNaN(value) && valueText !== 'NaN')) continue;
    out.push({ metric, labels, value });
  }
  return out;
}

/** Sum of the samples the selector matches, or undefined when none does. */
export function selectSum(samples: readonly ExpositionSample[], sel: SeriesSelector): number | undefined {
  let sum: number | undefined;
  const want = Object.entries(sel.labels);
  for (const s of samples) {
    if (s.metric !== sel.metric) continue;
    if (!want.every(([k, v]) => s.labels[k] === v)) continue;
    sum = (sum ?? 0) + s.value;
  }
  return sum;
}
