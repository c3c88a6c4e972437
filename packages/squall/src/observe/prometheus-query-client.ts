/**
 * Minimal client for Prometheus' HTTP query API (`/api/v1/query`, `/api/v1/query_range`). Hand
 * written: two form POSTs and their JSON answers; no maintained Node client covers the range API
 * without pulling in a framework. Failures come back as values (`{ error }`), never exceptions.
 */

/** One series of a query's answer: its labels (without `__name__`) and samples in time order. */
export interface QuerySeries {
  readonly labels: Readonly<Record<string, string>>;
  /** `[epoch ms, value]`; NaN and infinities kept as Prometheus sent them. */
  readonly samples: readonly (readonly [number, number])[];
}

/** A query's answer: its series and Prometheus' own warnings, or why there is none. */
export type QueryAnswer = { readonly series: readonly QuerySeries[]; readonly warnings: readonly string[] } | { readonly error: string };

/** Where and how to query. */
export interface QueryTarget {
  /** Server base URL, no trailing slash. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Aborts requests in flight (a hard stop of the run). */
  readonly signal?: AbortSignal | undefined;
}

/** Prometheus refuses ranges of more than 11,000 steps per series; stay below with margin. */
export const MAX_STEPS_PER_REQUEST = 10_000;

/**
 * Evaluates `promql` at `fromMs` and every `stepMs` after it up to `toMs` (epoch ms), and at `toMs`
 * itself when the steps miss it (one instant query), so both edges of the window are covered and
 * the last sample is the state at its end. Windows longer than MAX_STEPS_PER_REQUEST steps are split
 * into consecutive requests so the resolution asked for is kept. The first failing request ends it
 * with that request's error.
 */
export async function queryRange(target: QueryTarget, promql: string, fromMs: number, toMs: number, stepMs: number): Promise<QueryAnswer> {
  const bySeries = new Map<string, { labels: Record<string, string>; samples: [number, number][] }>();
  const warnings: string[] = [];
  const add = (labels: Record<string, string>, samples: Iterable<[number, number]>) => {
    const key = JSON.stringify(Object.entries(labels).sort());
    let series = bySeries.get(key);
    if (series === undefined) {
      series = { labels, samples: [] };
      bySeries.set(key, series);
    }
    series.samples.push(...samples);
  };
  const chunkMs = (MAX_STEPS_PER_REQUEST - 1) * stepMs;
  let lastGridMs = fromMs;
  for (let start = fromMs; start <= toMs; start += chunkMs + stepMs) {
    const end = Math.min(toMs, start + chunkMs);
    lastGridMs = start + Math.floor((end - start) / stepMs) * stepMs;
    const answer = await post(target, '/api/v1/query_range', { query: promql, start: seconds(start), end: seconds(end), step: seconds(stepMs) });
    if ('error' in answer) return answer;
    if (answer.data.resultType !== 'matrix' || !Array.isArray(answer.data.result)) return { error: `Prometheus answered a ${String(answer.data.resultType)} to a range query; expected a matrix` };
    warnings.push(...answer.warnings);
    for (const item of answer.data.result as RawSeries[]) add(labelsOf(item.metric), (item.values ?? []).map(sampleOf));
  }
  if (lastGridMs < toMs) {
    const atEnd = await queryInstant(target, promql, toMs);
    if ('error' in atEnd) return atEnd;
    warnings.push(...atEnd.warnings);
    for (const s of atEnd.series) add({ ...s.labels }, s.samples.map(([t, v]) => [t, v] as [number, number]));
  }
  return { series: [...bySeries.values()], warnings: [...new Set(warnings)] };
}

/** Evaluates `promql` once at `atMs` (epoch ms). A scalar answer is one series without labels. */
export async function queryInstant(target: QueryTarget, promql: string, atMs: number): Promise<QueryAnswer> {
  const answer = await post(target, '/api/v1/query', { query: promql, time: seconds(atMs) });
  if ('error' in answer) return answer;
  const { resultType, result } = answer.data;
  if (resultType === 'scalar' && Array.isArray(result)) return { series: [{ labels: {}, samples: [sampleOf(result as [number, string])] }], warnings: answer.warnings };
  if (resultType === 'vector' && Array.isArray(result)) {
    const series = (result as RawSeries[]).filter((s) => s.value !== undefined).map((s) => ({ labels: labelsOf(s.metric), samples: [sampleOf(s.value as [number, string])] }));
    return { series, warnings: answer.warnings };
  }
  return { error: `Prometheus answered a ${String(resultType)}; a query must give numbers (an instant vector or a scalar)` };
}

interface RawSeries {
  readonly metric?: Record<string, string>;
  readonly values?: [number, string][];
  readonly value?: [number, string];
}

type RawAnswer = { readonly data: { readonly resultType?: unknown; readonly result?: unknown }; readonly warnings: readonly string[] } | { readonly error: string };

async function post(target: QueryTarget, path: string, params: Record<string, string>): Promise<RawAnswer> {
  const url = `${target.url}${path}`;
  const timeout = AbortSignal.timeout(target.timeoutMs);
  const signal = target.signal === undefined ? timeout : AbortSignal.any([timeout, target.signal]);
  let status: number;
  let text: string;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(params).toString(),
      signal,
    });
    status = res.status;
    text = await res.text();
  } catch (err) {
    if (timeout.aborted) return { error: `Prometheus at ${target.url} did not answer within ${target.timeoutMs} ms` };
    if (target.signal?.aborted) return { error: 'the query was abandoned: the run was stopped' };
    return { error: `could not reach Prometheus at ${target.url}: ${causeText(err)}` };
  }
  let body: { status?: unknown; data?: unknown; error?: unknown; errorType?: unknown; warnings?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return { error: `${url} answered ${status} with something that is not Prometheus' JSON: ${JSON.stringify(text.slice(0, 200))}` };
  }
  if (body.status !== 'success' || typeof body.data !== 'object' || body.data === null) {
    const kind = typeof body.errorType === 'string' ? ` (${body.errorType})` : '';
    const why = typeof body.error === 'string' ? body.error : JSON.stringify(text.slice(0, 200));
    return { error: `Prometheus answered ${status}${kind}: ${why}` };
  }
  const warnings = Array.isArray(body.warnings) ? body.warnings.map(String) : [];
  return { data: body.data as { resultType?: unknown; result?: unknown }, warnings };
}

function labelsOf(metric: Record<string, string> | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(metric ?? {})) if (k !== '__name__') labels[k] = v;
  return labels;
}

function sampleOf(pair: readonly [number, string]): [number, number] {
  // Prometheus writes values as strings ("NaN", "+Inf", "1.5"); timestamps as float seconds.
  const text = pair[1];
  const value = text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
  return [Math.round(pair[0] * 1000), value];
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function causeText(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}
