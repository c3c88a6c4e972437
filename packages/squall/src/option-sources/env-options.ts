import { tryParseDurationMs } from '../config/duration.js';
import type { OptionOverrides } from '../config/resolve.js';
import type { ConfigProblem } from '../errors.js';

/** Run settings that come from the environment but are not script options. */
export interface EnvSettings {
  /** `SQUALL_OUT`: comma-separated `--out` values. */
  readonly out?: string[];
  readonly summaryExport?: string;
  readonly config?: string;
  readonly resultsDir?: string;
  readonly noSummary?: boolean;
  readonly quiet?: boolean;
}

type Kind = 'int' | 'int0' | 'duration' | 'string' | 'bool' | 'list' | 'tags';

/** Environment names (without the SQUALL_/K6_ prefix), k6's spelling, and the option each sets. */
export const ENV_OPTIONS: readonly { readonly name: string; readonly key: keyof OptionOverrides; readonly kind: Kind }[] = [
  { name: 'VUS', key: 'vus', kind: 'int' },
  { name: 'DURATION', key: 'duration', kind: 'duration' },
  { name: 'ITERATIONS', key: 'iterations', kind: 'int' },
  { name: 'STAGES', key: 'stages', kind: 'list' },
  { name: 'EXECUTION_SEGMENT', key: 'executionSegment', kind: 'string' },
  { name: 'EXECUTION_SEGMENT_SEQUENCE', key: 'executionSegmentSequence', kind: 'string' },
  { name: 'TAGS', key: 'tags', kind: 'tags' },
  { name: 'SUMMARY_TREND_STATS', key: 'summaryTrendStats', kind: 'list' },
  { name: 'SUMMARY_TIME_UNIT', key: 'summaryTimeUnit', kind: 'string' },
  { name: 'NO_COLOR', key: 'noColor', kind: 'bool' },
  { name: 'DISCARD_RESPONSE_BODIES', key: 'discardResponseBodies', kind: 'bool' },
  { name: 'USER_AGENT', key: 'userAgent', kind: 'string' },
  { name: 'MAX_REDIRECTS', key: 'maxRedirects', kind: 'int0' },
  { name: 'NO_CONNECTION_REUSE', key: 'noConnectionReuse', kind: 'bool' },
  { name: 'INSECURE_SKIP_TLS_VERIFY', key: 'insecureSkipTLSVerify', kind: 'bool' },
  { name: 'HTTP_TIMEOUT', key: 'httpTimeout', kind: 'duration' },
];

/** Environment names of run settings that are not options. */
export const ENV_SETTINGS = ['OUT', 'SUMMARY_EXPORT', 'CONFIG', 'RESULTS_DIR', 'NO_SUMMARY', 'QUIET'] as const;

/**
 * The value of SQUALL_NAME, else K6_NAME (so a k6 job's environment carries over), with the name
 * it came from. Empty values count as unset.
 */
export function envValue(env: Readonly<Record<string, string | undefined>>, name: string): { value: string; from: string } | undefined {
  for (const prefix of ['SQUALL_', 'K6_']) {
    const value = env[prefix + name];
    if (value !== undefined && value.trim() !== '') return { value: value.trim(), from: prefix + name };
  }
  return undefined;
}

function parseBool(text: string): boolean | undefined {
  const t = text.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off'].includes(t)) return false;
  return undefined;
}

function parseValue(kind: Kind, text: string, from: string, problems: ConfigProblem[]): unknown {
  const bad = (what: string) => {
    problems.push({ path: from, message: `must be ${what}, but is ${JSON.stringify(text)}` });
    return undefined;
  };
  switch (kind) {
    case 'int':
    case 'int0': {
      const min = kind === 'int' ? 1 : 0;
      return /^\d+$/.test(text) && Number(text) >= min ? Number(text) : bad(`an integer >= ${min}`);
    }
    case 'duration':
      return tryParseDurationMs(text) !== undefined ? text : bad('a duration such as 30s or 5m');
    case 'bool': {
      const b = parseBool(text);
      return b ?? bad('true or false');
    }
    case 'list':
      return text.split(',').map((s) => s.trim()).filter(Boolean);
    case 'tags': {
      const out: Record<string, string> = {};
      for (const pair of text.split(',')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) return bad('KEY=VALUE pairs separated by commas');
        out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
      }
      return out;
    }
    case 'string':
      return text;
  }
}

/** Option overrides and run settings from SQUALL_* (else K6_*) variables; bad values go into `problems`. */
export function optionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
): { overrides: OptionOverrides; settings: EnvSettings; sources: Record<string, string> } {
  const overrides: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const o of ENV_OPTIONS) {
    const found = envValue(env, o.name);
    if (found === undefined) continue;
    const v = parseValue(o.kind, found.value, found.from, problems);
    if (v === undefined) continue;
    overrides[o.key] = v;
    sources[o.key] = found.from;
  }
  const settings: Record<string, unknown> = {};
  const out = envValue(env, 'OUT');
  if (out) settings.out = out.value.split(',').map((s) => s.trim()).filter(Boolean);
  const summaryExport = envValue(env, 'SUMMARY_EXPORT');
  if (summaryExport) settings.summaryExport = summaryExport.value;
  const config = envValue(env, 'CONFIG');
  if (config) settings.config = config.value;
  const resultsDir = envValue(env, 'RESULTS_DIR');
  if (resultsDir) settings.resultsDir = resultsDir.value;
  for (const [name, key] of [
    ['NO_SUMMARY', 'noSummary'],
    ['QUIET', 'quiet'],
  ] as const) {
    const found = envValue(env, name);
    if (found === undefined) continue;
    const b = parseValue('bool', found.value, found.from, problems);
    if (b !== undefined) settings[key] = b;
  }
  return { overrides: overrides as OptionOverrides, settings: settings as EnvSettings, sources };
}
