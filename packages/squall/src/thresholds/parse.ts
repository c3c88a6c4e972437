import type { ConfigProblem } from '../errors.js';
import { BUILTIN_METRICS } from '../metrics/builtin.js';
import type { MetricType } from '../metrics/types.js';
import { parseGoDurationMs } from './delay.js';
import { isExpressionError, parseThresholdExpression } from './expression.js';
import { isKeyError, parseThresholdKey } from './key.js';
import { suggestName } from './suggest.js';
import type { ParsedThreshold, ThresholdSet, ThresholdTarget } from './types.js';

/** Aggregations each metric type supports (k6's rule). */
const ALLOWED: Readonly<Record<MetricType, { readonly list: string; readonly test: (agg: string) => boolean }>> = {
  counter: { list: 'count, rate', test: (a) => a === 'count' || a === 'rate' },
  // k6 allows only `value` on a Gauge; squall also keeps min and max (observed target series need them).
  gauge: { list: 'value, min, max', test: (a) => a === 'value' || a === 'min' || a === 'max' },
  rate: { list: 'rate', test: (a) => a === 'rate' },
  trend: { list: 'avg, min, max, med, p(N)', test: (a) => ['avg', 'min', 'max', 'med'].includes(a) || a.startsWith('p(') },
};
const TYPE_NAME: Readonly<Record<MetricType, string>> = { counter: 'Counter', gauge: 'Gauge', rate: 'Rate', trend: 'Trend' };
const LONG_FORM_KEYS: ReadonlySet<string> = new Set(['threshold', 'abortOnFail', 'delayAbortEval']);

/**
 * Parses and validates k6's `options.thresholds` once, at the config boundary.
 * `knownMetrics` holds the script's custom metrics (built-ins are always known; an entry there wins).
 * `basePath` is the option path of `raw`, usually `thresholds`. Returns every problem found; the set
 * holds only the targets and expressions that parsed, so use it only when `problems` is empty.
 */
export function parseThresholds(
  raw: unknown,
  knownMetrics: ReadonlyMap<string, MetricType>,
  basePath: string,
): { set: ThresholdSet; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const set: ThresholdTarget[] = [];
  if (raw === undefined || raw === null) return { set, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({
      path: basePath,
      message: `must be an object mapping metric names to expressions, but is ${describe(raw)}; write { http_req_duration: ['p(95)<500'] }`,
    });
    return { set, problems };
  }
  const types = new Map<string, MetricType>(BUILTIN_METRICS.map((m) => [m.name, m.type]));
  for (const [name, type] of knownMetrics) types.set(name, type);

  for (const [key, entry] of Object.entries(raw as Record<string, unknown>)) {
    const keyPath = `${basePath}[${JSON.stringify(key)}]`;
    const parsedKey = parseThresholdKey(key);
    let type: MetricType | undefined;
    if (isKeyError(parsedKey)) {
      problems.push({ path: keyPath, message: `key "${key}" ${parsedKey.error}` });
    } else {
      type = types.get(parsedKey.metric);
      if (type === undefined) problems.push({ path: keyPath, message: unknownMetric(parsedKey.metric, types.keys()) });
    }
    if (!Array.isArray(entry) && typeof entry !== 'string' && !isPlainObject(entry)) {
      problems.push({
        path: keyPath,
        message: `must be an expression string or a list of them, but is ${describe(entry)}; write ['p(95)<500']`,
      });
      continue;
    }
    const thresholds: ParsedThreshold[] = [];
    const items: readonly unknown[] = Array.isArray(entry) ? entry : [entry];
    items.forEach((item, i) => {
      const path = Array.isArray(entry) ? `${keyPath}[${i}]` : keyPath;
      const parsed = parseItem(item, path, type, problems);
      if (parsed !== undefined) thresholds.push(parsed);
    });
    if (!isKeyError(parsedKey) && thresholds.length > 0) {
      set.push({ key, metric: parsedKey.metric, filter: parsedKey.filter, thresholds });
    }
  }
  return { set, problems };
}

/** One list item: `'p(95)<500'` or `{ threshold, abortOnFail?, delayAbortEval? }`. */
function parseItem(
  item: unknown,
  path: string,
  type: MetricType | undefined,
  problems: ConfigProblem[],
): ParsedThreshold | undefined {
  let source: string;
  let abortOnFail = false;
  let delayAbortEvalMs = 0;
  let ok = true;
  let exprPath = path;
  if (typeof item === 'string') {
    source = item;
  } else if (isPlainObject(item)) {
    for (const k of Object.keys(item)) {
      if (!LONG_FORM_KEYS.has(k)) {
        problems.push({ path: `${path}.${k}`, message: `is not a threshold option; use threshold, abortOnFail or delayAbortEval` });
        ok = false;
      }
    }
    if (typeof item.threshold !== 'string') {
      problems.push({
        path: `${path}.threshold`,
        message: `must be an expression string such as 'p(95)<500', but is ${describe(item.threshold)}`,
      });
      return undefined;
    }
    source = item.threshold;
    exprPath = `${path}.threshold`;
    if (item.abortOnFail !== undefined) {
      if (typeof item.abortOnFail === 'boolean') abortOnFail = item.abortOnFail;
      else {
        problems.push({ path: `${path}.abortOnFail`, message: `must be true or false, but is ${describe(item.abortOnFail)}` });
        ok = false;
      }
    }
    if (item.delayAbortEval !== undefined) {
      const ms = delayMs(item.delayAbortEval);
      if (ms === undefined) {
        problems.push({
          path: `${path}.delayAbortEval`,
          message: `must be a duration such as '10s', '1m30s' or a number of ms >= 0, but is ${describe(item.delayAbortEval)}`,
        });
        ok = false;
      } else delayAbortEvalMs = ms;
    }
  } else {
    problems.push({
      path,
      message: `must be an expression string or { threshold, abortOnFail, delayAbortEval }, but is ${describe(item)}`,
    });
    return undefined;
  }

  const expr = parseThresholdExpression(source);
  if (isExpressionError(expr)) {
    problems.push({ path: exprPath, message: `cannot parse ${JSON.stringify(source)} at column ${expr.column}: ${expr.expected}` });
    return undefined;
  }
  if (type !== undefined && !ALLOWED[type].test(expr.aggregation)) {
    problems.push({
      path: exprPath,
      message: `aggregation "${expr.aggregation}" in ${JSON.stringify(source)} does not apply to a ${TYPE_NAME[type]} metric; use one of ${ALLOWED[type].list}`,
    });
    return undefined;
  }
  if (!ok) return undefined;
  return { source, aggregation: expr.aggregation, operator: expr.operator, value: expr.value, abortOnFail, delayAbortEvalMs };
}

function delayMs(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? raw : undefined;
  if (typeof raw === 'string') return parseGoDurationMs(raw);
  return undefined;
}

function unknownMetric(name: string, known: Iterable<string>): string {
  const guess = suggestName(name, known);
  return (
    `metric "${name}" is neither built-in nor defined in the script's init code` +
    (guess === undefined ? '.' : `; did you mean "${guess}"?`) +
    ` Fix the name, or define the metric in init code (new Trend('${name}'))`
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'string' ? `string ${JSON.stringify(v)}` : `${typeof v} ${String(v)}`;
}
