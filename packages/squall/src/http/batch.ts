import type { RequestBody, RequestParams } from './params.js';
import { describe } from './params.js';

/** One `http.batch` entry: a URL (GET), `[method, url, body?, params?]`, or `{ method, url, body?, params? }`. */
export type BatchRequest =
  | string
  | readonly [method: string, url: string, body?: RequestBody, params?: RequestParams]
  | { readonly method?: string; readonly url: string; readonly body?: RequestBody; readonly params?: RequestParams };

/** A batch entry in one shape: [method, url, body, params]. */
export type BatchEntry = [method: string, url: string, body: RequestBody, params: RequestParams | undefined];

/** Brings any `BatchRequest` form to a `BatchEntry`; throws a TypeError naming the entry's key. */
export function normalizeBatchEntry(entry: BatchRequest, key: string): BatchEntry {
  if (typeof entry === 'string') return ['GET', entry, undefined, undefined];
  if (Array.isArray(entry)) {
    const [method, url, body, params] = entry as readonly [string, string, RequestBody?, RequestParams?];
    return [method, url, body, params];
  }
  if (entry !== null && typeof entry === 'object' && 'url' in entry) {
    const e = entry as Exclude<BatchRequest, string | readonly unknown[]>;
    return [e.method ?? 'GET', e.url, e.body, e.params];
  }
  throw new TypeError(
    `http.batch(): request ${key} must be a URL string, [method, url, body?, params?] or { method, url, body?, params? }, but is ${describe(entry)}`,
  );
}

/**
 * Runs `count` tasks with at most `limit` in flight overall and `perHostLimit` per host (0 for
 * either: unbounded), starting them in order as far as the limits allow. Resolves with the results
 * in input order. Tasks must not reject (HTTP failures are responses); if one does, the batch
 * rejects once the tasks in flight have settled.
 */
export function runLimited<T>(
  count: number,
  hostOf: (index: number) => string,
  task: (index: number) => Promise<T>,
  limit: number,
  perHostLimit: number,
): Promise<T[]> {
  const results = new Array<T>(count);
  if (count === 0) return Promise.resolve(results);
  const maxInFlight = limit > 0 ? limit : count;
  const inFlightByHost = new Map<string, number>();
  const waiting: number[] = [];
  for (let i = 0; i < count; i++) waiting.push(i);
  let inFlight = 0;
  let finished = 0;
  let failure: { error: unknown } | undefined;

  return new Promise<T[]>((resolve, reject) => {
    const pump = (): void => {
      for (let w = 0; w < waiting.length && inFlight < maxInFlight && failure === undefined; ) {
        const index = waiting[w] as number;
        const host = hostOf(index);
        const onHost = inFlightByHost.get(host) ?? 0;
        if (perHostLimit > 0 && onHost >= perHostLimit) {
          w++;
          continue;
        }
        waiting.splice(w, 1);
        inFlight++;
        inFlightByHost.set(host, onHost + 1);
        task(index).then(
          (value) => settle(index, host, value, undefined),
          (error: unknown) => settle(index, host, undefined, { error }),
        );
      }
    };
    const settle = (index: number, host: string, value: T | undefined, err: { error: unknown } | undefined): void => {
      inFlight--;
      finished++;
      inFlightByHost.set(host, (inFlightByHost.get(host) ?? 1) - 1);
      if (err !== undefined) failure ??= err;
      else results[index] = value as T;
      if (failure !== undefined) {
        if (inFlight === 0) reject(failure.error);
        return;
      }
      if (finished === count) resolve(results);
      else pump();
    };
    pump();
  });
}
