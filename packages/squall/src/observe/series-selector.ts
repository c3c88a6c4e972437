/**
 * Which Prometheus series an observed metric follows. Grammar:
 *
 *   selector := 'rate(' inner ')' | inner
 *   inner    := metric_name [ '{' label '=' '"' value '"' { ',' label '=' '"' value '"' } '}' ]
 *
 * The value is the sum over every series of `metric_name` whose labels include the given ones
 * (PromQL's `sum(metric{...})`); `rate(...)` is that sum's increase per second between two
 * scrapes, with a counter reset (the sum going down) counted as an increase from zero.
 */
export interface SeriesSelector {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly rate: boolean;
  /** The selector as written, for messages and reports. */
  readonly text: string;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;

/** Parses a selector, or returns the reason it is not one. */
export function parseSelector(text: string): SeriesSelector | string {
  let inner = text.trim();
  let rate = false;
  const m = /^rate\s*\((.*)\)$/.exec(inner);
  if (m) {
    rate = true;
    inner = (m[1] as string).trim();
  }
  const brace = inner.indexOf('{');
  const metric = brace < 0 ? inner : inner.slice(0, brace).trim();
  if (!NAME.test(metric)) return `must be a Prometheus metric name, optionally with {label="value"} matchers and wrapped in rate(...), but the metric name ${JSON.stringify(metric)} is not valid`;
  const labels: Record<string, string> = {};
  if (brace >= 0) {
    if (!inner.endsWith('}')) return 'has a { without a closing }';
    const body = inner.slice(brace + 1, -1);
    LABEL.lastIndex = 0;
    let pos = 0;
    while (pos < body.length) {
      LABEL.lastIndex = pos;
      const l = LABEL.exec(body);
      if (l === null) return `has a bad label matcher at ${JSON.stringify(body.slice(pos))}; write label="value"`;
      labels[l[1] as string] = unescapeLabel(l[2] as string);
      pos = LABEL.lastIndex;
    }
  }
  return { metric, labels, rate, text: text.trim() };
}

/** Undoes the exposition format's label escapes (`\\`, `\"`, `\n`). */
export function unescapeLabel(s: string): string {
  return s.includes('\\') ? s.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)) : s;
}
