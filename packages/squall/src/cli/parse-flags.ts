import type { ConfigProblem } from '../errors.js';

/** Parses `KEY=VALUE` flags into a record, collecting problems under the flag's name. */
export function parseKeyValues(flag: string, values: readonly string[], problems: ConfigProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) {
      problems.push({ path: flag, message: `must be KEY=VALUE, but is ${JSON.stringify(v)}` });
      continue;
    }
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/** Parses an integer flag (>= min), collecting a problem when it is not one. */
export function parseIntFlag(flag: string, value: string | undefined, min: number, problems: ConfigProblem[]): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    problems.push({ path: flag, message: `must be an integer >= ${min}, but is ${JSON.stringify(value)}` });
    return undefined;
  }
  return n;
}

/** Commander collector for repeatable flags. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
