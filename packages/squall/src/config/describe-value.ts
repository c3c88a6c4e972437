/** A value as messages show it: strings quoted, numbers plain, containers by kind. For "..., but is X". */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array (${JSON.stringify(value).slice(0, 60)})`;
  if (typeof value === 'object') return `an object (${JSON.stringify(value)?.slice(0, 60) ?? ''})`;
  if (typeof value === 'function') return 'a function';
  return String(value);
}

/** Option path of `key` under `base`: `scenarios.api` or `scenarios["my api"]` when not an identifier. */
export function childPath(base: string, key: string): string {
  const segment = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (base === '') return segment.startsWith('[') ? segment : key;
  return segment.startsWith('[') ? `${base}${segment}` : `${base}.${segment}`;
}

/** Whether `value` is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
