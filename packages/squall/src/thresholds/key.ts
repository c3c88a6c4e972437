/**
 * Threshold key parser: `metric` or `metric{tag:value,...}`.
 * Whitespace around names, tags and values is ignored; a value keeps every ':' after the first one
 * (`{url:http://x/}`); one pair of matching quotes around a value is stripped.
 */

/** A parsed key: the metric name and the sub-metric tag filter (empty for the whole metric). */
export interface ThresholdKey {
  readonly metric: string;
  readonly filter: Readonly<Record<string, string>>;
}

/** Why a key did not parse, phrased to follow `key "..." ` in a problem message. */
export interface KeyError {
  readonly error: string;
}

const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses one `options.thresholds` key; returns the first problem, as a key has one shape. */
export function parseThresholdKey(key: string): ThresholdKey | KeyError {
  const open = key.indexOf('{');
  if (key.indexOf('}') !== -1 && (open === -1 || key.indexOf('}') < open)) {
    return { error: "has a '}' without a matching '{'; write name{tag:value}" };
  }
  const metric = (open === -1 ? key : key.slice(0, open)).trim();
  if (!METRIC_NAME.test(metric)) {
    return { error: `must start with a metric name of letters, digits and '_', but the name is "${metric}"` };
  }
  if (open === -1) return { metric, filter: {} };
  const rest = key.slice(open + 1).trimEnd();
  if (!rest.endsWith('}')) return { error: "has a tag filter without a closing '}'; write name{tag:value}" };
  const body = rest.slice(0, -1);
  if (body.trim() === '') return { error: 'has an empty tag filter "{}"; remove the braces or add tag:value pairs' };
  const filter: Record<string, string> = {};
  for (const pair of body.split(',')) {
    const colon = pair.indexOf(':');
    const tag = (colon === -1 ? pair : pair.slice(0, colon)).trim();
    if (colon === -1 || tag === '') {
      return { error: `has a malformed tag filter entry "${pair.trim()}"; each entry is tag:value` };
    }
    if (Object.hasOwn(filter, tag)) return { error: `filters on tag "${tag}" twice; keep one value per tag` };
    filter[tag] = unquote(pair.slice(colon + 1).trim());
  }
  return { metric, filter };
}

/** Narrows a parse outcome to the error case. */
export function isKeyError(r: ThresholdKey | KeyError): r is KeyError {
  return 'error' in r;
}

function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'" || first === '`') && value.endsWith(first)) {
    return value.slice(1, -1);
  }
  return value;
}
