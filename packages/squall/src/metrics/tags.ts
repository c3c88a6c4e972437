import type { Tags } from './types.js';

/**
 * Canonical key of a tag set: independent of key order, unambiguous for any strings
 * (JSON of the sorted pairs). Allocates; call it when a tag set is first seen, not per sample.
 */
export function tagsKey(tags: Tags): string {
  const keys = Object.keys(tags).sort();
  const flat: string[] = [];
  for (const key of keys) flat.push(key, String(tags[key]));
  return JSON.stringify(flat);
}

/** True when `tags` has every pair of `filter` (k6 sub-metric selection; `{}` matches everything). */
export function tagsMatch(tags: Tags, filter: Tags): boolean {
  for (const key in filter) {
    if (tags[key] !== filter[key]) return false;
  }
  return true;
}

/** The subset of `tags` whose keys are in `keep` (absent keys stay absent). */
export function projectTags(tags: Tags, keep: readonly string[]): Tags {
  const out: Record<string, string> = {};
  for (const key of keep) {
    const value = tags[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** k6's sub-metric name: `http_req_duration{status:200}`, pairs in the filter's key order. */
export function formatSubMetricKey(metric: string, filter: Tags): string {
  const pairs = Object.keys(filter).map((key) => `${key}:${filter[key] ?? ''}`);
  return `${metric}{${pairs.join(',')}}`;
}

/** Tags kept per series in the time series (others, such as url and vu, are dropped there). */
export const SERIES_TAGS: readonly string[] = [
  'scenario',
  'name',
  'method',
  'status',
  'error_code',
  'expected_response',
  'group',
  'check',
  // iterations_interrupted: why an iteration was cut off (gracefulStop, gracefulRampDown, ...).
  'cause',
];
