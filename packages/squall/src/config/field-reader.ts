/**
 * Reads typed fields out of one raw options object, recording a problem (path, rule, value found)
 * for each bad field instead of stopping, so validation reports everything at once. Each reader
 * returns the default when the field is absent (undefined or null) and `undefined` when it is bad.
 */
import type { ConfigProblem } from '../errors.js';
import type { Stage } from './types.js';
import { describeValue, isRecord } from './describe-value.js';
import { tryParseDurationMs } from './duration.js';

/** Lower bound of a duration: `ms`, shown as `text`; `exclusive` when the bound itself is not allowed. */
export interface DurationMin {
  readonly ms: number;
  readonly text: string;
  readonly exclusive?: boolean;
}

/** Bounds for integer options. */
export interface IntRule {
  readonly min: number;
  readonly max?: number;
}

const STAGE_KEYS = ['duration', 'target'];

/** The longest duration the engine can schedule: Node timers overflow past 2^31-1 ms (about 24.8 days). */
export const MAX_DURATION_MS = 2 ** 31 - 1;
/**
 * The most VUs one run may ask for: each VU holds a script context, so far fewer fit a machine;
 * past this the request is certainly a typo and would exhaust memory before any check could run.
 */
export const MAX_VUS = 1_000_000;

/** Field reader over one raw object; `pathOf` maps a key to its user-facing option path. */
export class FieldReader {
  constructor(
    readonly raw: Readonly<Record<string, unknown>>,
    readonly pathOf: (key: string) => string,
    readonly problems: ConfigProblem[],
  ) {}

  /** Records a problem at `key`'s path. */
  problem(key: string, message: string): void {
    this.problems.push({ path: this.pathOf(key), message });
  }

  /** Whether the field is set (null counts as unset, as in JSON options). */
  has(key: string): boolean {
    const v = this.raw[key];
    return v !== undefined && v !== null;
  }

  /** Records "is required" when the field is absent; returns whether it is present. */
  require(key: string, why: string): boolean {
    if (this.has(key)) return true;
    this.problem(key, `is required ${why}`);
    return false;
  }

  /** An integer within `rule`; `def` when absent. */
  int(key: string, rule: IntRule, def?: number): number | undefined {
    if (!this.has(key)) return def;
    return this.intAt(this.raw[key], this.pathOf(key), rule);
  }

  /** Checks an integer at an explicit path (for array items and nested fields). */
  intAt(value: unknown, path: string, rule: IntRule): number | undefined {
    const range = rule.max === undefined || rule.max === MAX_VUS ? `at least ${rule.min}` : `between ${rule.min} and ${rule.max}`;
    if (typeof value === 'number' && rule.max === MAX_VUS && value > MAX_VUS) {
      this.problems.push({ path, message: `must be at most ${MAX_VUS} VUs (each VU holds a script context; a run that large would exhaust memory), but is ${value}` });
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.problems.push({ path, message: `must be an integer ${range}, but is ${describeValue(value)}` });
      return undefined;
    }
    if (value < rule.min || (rule.max !== undefined && value > rule.max)) {
      this.problems.push({ path, message: `must be ${range}, but is ${value}` });
      return undefined;
    }
    return value;
  }

  /** A duration in ms; `minMs`/`minText` give the lower bound and how to show it. */
  /** A duration in ms (string or number of ms) of at least `min`; `def` parsed when absent. */
  duration(key: string, min: DurationMin, def?: string): number | undefined {
    if (!this.has(key)) return def === undefined ? undefined : tryParseDurationMs(def);
    return this.durationAt(this.raw[key], this.pathOf(key), min);
  }

  /** Checks a duration at an explicit path. */
  durationAt(value: unknown, path: string, min: DurationMin): number | undefined {
    let ms: number | undefined;
    if (typeof value === 'number' && Number.isFinite(value)) ms = value;
    else if (typeof value === 'string') ms = tryParseDurationMs(value);
    if (ms === undefined) {
      const hint = typeof value === 'string' && /^\s*[\d.]+\s*$/.test(value) ? ` (add a unit: "${value.trim()}s")` : '';
      this.problems.push({
        path,
        message: `must be a duration such as "30s", "1m30s" or "500ms", or a number of milliseconds, but is ${describeValue(value)}${hint}`,
      });
      return undefined;
    }
    if (ms > MAX_DURATION_MS) {
      this.problems.push({ path, message: `must be at most 596h31m23.647s (${MAX_DURATION_MS} ms, the longest a timer can wait), but is ${describeValue(value)}` });
      return undefined;
    }
    if (min.exclusive ? ms <= min.ms : ms < min.ms) {
      this.problems.push({ path, message: `must be ${min.exclusive ? 'more than' : 'at least'} ${min.text}, but is ${describeValue(value)}` });
      return undefined;
    }
    return ms;
  }

  /** A string, optionally matching `pattern` (whose `rule` the message states). */
  string(key: string, def?: string, pattern?: { readonly re: RegExp; readonly rule: string }): string | undefined {
    if (!this.has(key)) return def;
    const value = this.raw[key];
    if (typeof value !== 'string') {
      this.problem(key, `must be a string, but is ${describeValue(value)}`);
      return undefined;
    }
    if (pattern && !pattern.re.test(value)) {
      this.problem(key, `must be ${pattern.rule}, but is ${describeValue(value)}`);
      return undefined;
    }
    return value;
  }

  /** A boolean; `def` when absent. */
  bool(key: string, def: boolean): boolean | undefined {
    if (!this.has(key)) return def;
    const value = this.raw[key];
    if (typeof value !== 'boolean') {
      this.problem(key, `must be true or false, but is ${describeValue(value)}`);
      return undefined;
    }
    return value;
  }

  /** An object of string values (tags, env). */
  stringRecord(key: string): Record<string, string> | undefined {
    if (!this.has(key)) return {};
    const value = this.raw[key];
    if (!isRecord(value)) {
      this.problem(key, `must be an object of string values, such as { team: "api" }, but is ${describeValue(value)}`);
      return undefined;
    }
    const out: Record<string, string> = {};
    let ok = true;
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') out[k] = v;
      else {
        ok = false;
        this.problems.push({ path: `${this.pathOf(key)}.${k}`, message: `must be a string, but is ${describeValue(v)}` });
      }
    }
    return ok ? out : undefined;
  }

  /**
   * Stages: a non-empty list of `{ duration, target }` (or `"30s:10"` strings, as the CLI passes
   * them), targets non-negative integers.
   */
  stages(key: string): Stage[] | undefined {
    const path = this.pathOf(key);
    const value = this.raw[key];
    if (!Array.isArray(value) || value.length === 0) {
      this.problems.push({
        path,
        message: `must be a non-empty list of stages such as [{ duration: "30s", target: 10 }], but is ${describeValue(value)}`,
      });
      return undefined;
    }
    const before = this.problems.length;
    const stages = value.map((item: unknown, i): Stage => {
      const itemPath = `${path}[${i}]`;
      let stage: unknown = item;
      if (typeof item === 'string') {
        const at = item.lastIndexOf(':');
        if (at < 0) {
          this.problems.push({ path: itemPath, message: `must be DURATION:TARGET such as "30s:10", but is ${describeValue(item)}` });
          return { durationMs: 0, target: 0 };
        }
        const targetText = item.slice(at + 1).trim();
        stage = { duration: item.slice(0, at), target: /^\d+$/.test(targetText) ? Number(targetText) : targetText };
      }
      if (!isRecord(stage)) {
        this.problems.push({ path: itemPath, message: `must be an object { duration, target }, but is ${describeValue(item)}` });
        return { durationMs: 0, target: 0 };
      }
      for (const k of Object.keys(stage)) {
        if (!STAGE_KEYS.includes(k)) this.problems.push({ path: `${itemPath}.${k}`, message: `is not a stage option; stages have only duration and target` });
      }
      const has = (k: string): boolean => stage[k] !== undefined && stage[k] !== null;
      if (!has('duration')) this.problems.push({ path: `${itemPath}.duration`, message: 'is required' });
      if (!has('target')) this.problems.push({ path: `${itemPath}.target`, message: 'is required' });
      const durationMs = has('duration') ? this.durationAt(stage.duration, `${itemPath}.duration`, { ms: 0, text: '0s' }) : 0;
      const target = has('target') ? this.intAt(stage.target, `${itemPath}.target`, { min: 0, max: MAX_VUS }) : 0;
      return { durationMs: durationMs ?? 0, target: target ?? 0 };
    });
    return this.problems.length === before ? stages : undefined;
  }
}
