import type { ConfigProblem } from '../errors.js';
import { flagName, type OptionSpec, type OptionSpecs, type OptionValues, type TimeSpec, type WeightsSpec } from './option-spec.js';

/** Where option values came from: the CLI names flags (`--tenants`), scripts name keys (`tenants`). */
export type OptionSource = 'cli' | 'script';

const UNITS_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses a time value (see TimeSpec) to epoch ms, or returns an error message. */
export function parseTime(value: unknown, nowMs: number): number | string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'is an invalid Date' : value.getTime();
  if (typeof value === 'number') return Number.isFinite(value) ? value : `must be a finite epoch ms, but is ${value}`;
  if (typeof value !== 'string') return `must be a time, but is ${typeof value}`;
  const text = value.trim();
  if (text === 'now') return nowMs;
  const rel = /^([+-])(\d+(?:\.\d+)?)([smhdw])$/.exec(text);
  if (rel) return nowMs + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * (UNITS_MS[rel[3] as string] as number);
  if (/^\d{10,}$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && Number.isFinite(ms)) return ms;
  return `must be an ISO 8601 time (2025-01-01T00:00:00Z), epoch ms, "now" or relative like -90d or -6h, but is ${JSON.stringify(value)}`;
}

function parseWeights(spec: WeightsSpec, value: unknown): Record<string, number> | string {
  let entries: [string, unknown][];
  if (typeof value === 'string') {
    entries = [];
    for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
      const eq = part.indexOf('=');
      if (eq <= 0) return `must be KEY=WEIGHT pairs separated by commas (e.g. ${describeWeights(spec)}), but has ${JSON.stringify(part)}`;
      entries.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
    }
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    entries = Object.entries(value);
  } else {
    return `must be weights such as ${describeWeights(spec)}, but is ${JSON.stringify(value)}`;
  }
  const out: Record<string, number> = {};
  for (const [k, raw] of entries) {
    if (!spec.keys.includes(k)) return `has unknown key ${JSON.stringify(k)}; valid keys: ${spec.keys.join(', ')}`;
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw !== '' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(n) || n < 0) return `weight of ${k} must be a number >= 0, but is ${JSON.stringify(raw)}`;
    out[k] = n;
  }
  if (!Object.values(out).some((w) => w > 0)) return `needs at least one weight above 0, but is ${JSON.stringify(value)}`;
  return out;
}

function describeWeights(spec: WeightsSpec): string {
  return Object.entries(spec.default)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function parseNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

function resolveOne(spec: OptionSpec, value: unknown, nowMs: number): unknown {
  switch (spec.type) {
    case 'int':
    case 'number': {
      const n = parseNumber(value);
      const kind = spec.type === 'int' ? 'an integer' : 'a number';
      const range = `>= ${spec.min}${spec.max !== undefined ? ` and <= ${spec.max}` : ''}`;
      if (!Number.isFinite(n) || (spec.type === 'int' && !Number.isSafeInteger(n)) || n < spec.min || (spec.max !== undefined && n > spec.max)) {
        return new Problem(`must be ${kind} ${range}, but is ${JSON.stringify(value)}`);
      }
      return n;
    }
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value) ? value : new Problem(`must be one of ${spec.values.join(', ')}, but is ${JSON.stringify(value)}`);
    case 'weights': {
      const w = parseWeights(spec, value);
      return typeof w === 'string' ? new Problem(w) : w;
    }
    case 'time': {
      const t = parseTime(value, nowMs);
      return typeof t === 'string' ? new Problem(t) : t;
    }
    case 'bool':
      if (value === true || value === 'true' || value === '') return true;
      if (value === false || value === 'false') return false;
      return new Problem(`must be true or false, but is ${JSON.stringify(value)}`);
    case 'string':
      return typeof value === 'string' && spec.pattern.test(value) ? value : new Problem(`must be ${spec.patternDoc}, but is ${JSON.stringify(value)}`);
  }
}

class Problem {
  constructor(readonly message: string) {}
}

/**
 * Checks `raw` against a kind's option table: every problem is collected (unknown names list the
 * valid ones), defaults fill the gaps, and CLI runs get each time option's fixed default so the
 * same seed gives the same bytes. `pathPrefix` names where the options live (e.g. `audit()`).
 */
export function resolveOptions<S extends OptionSpecs>(
  specs: S,
  raw: Readonly<Record<string, unknown>>,
  source: OptionSource,
  problems: ConfigProblem[],
  nowMs = Date.now(),
): OptionValues<S> {
  const nameOf = (key: string) => (source === 'cli' ? flagName(key) : key);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (!(key in specs)) {
      const valid = Object.keys(specs).map(nameOf);
      problems.push({ path: nameOf(key), message: `is not an option of this generator; valid options: ${valid.join(', ') || '(none)'}` });
    }
  }
  for (const [key, spec] of Object.entries(specs)) {
    const given = raw[key];
    if (given === undefined) {
      out[key] = spec.type === 'time' ? (source === 'cli' ? parseTime((spec as TimeSpec).cliDefault, nowMs) : undefined) : spec.default;
      continue;
    }
    const value = resolveOne(spec, given, nowMs);
    if (value instanceof Problem) problems.push({ path: nameOf(key), message: value.message });
    else out[key] = value;
  }
  return out as OptionValues<S>;
}
