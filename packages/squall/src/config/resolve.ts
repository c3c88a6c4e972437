/**
 * The config boundary: validates the script's exported `options` merged with CLI flags into
 * ResolvedOptions (all defaults applied, durations in ms). Reports every problem at once.
 */
import { readTlsAuth } from './tls-auth.js';
import { ConfigError, type ConfigProblem } from '../errors.js';
import type { MetricType } from '../metrics/types.js';
import { parseThresholds } from '../thresholds/parse.js';
import { suggestName } from '../thresholds/suggest.js';
import { describeValue, isRecord } from './describe-value.js';
import { FieldReader } from './field-reader.js';
import { IGNORED_K6_KEYS, OPTION_KEYS } from './option-keys.js';
import { readObserve } from './observe-option.js';
import { readRecovery } from './recovery-option.js';
import { readExpectedStatuses, readSegments, readTrendStats } from './option-readers.js';
import { resolveScenarios } from './scenarios.js';
import type { ResolvedOptions } from './types.js';

/** Option values from CLI flags; each beats the script's option of the same name. */
export interface OptionOverrides {
  vus?: number;
  duration?: string;
  iterations?: number;
  /** `--stage 30s:10` values (each may hold several, comma-separated). */
  stages?: string[];
  executionSegment?: string;
  executionSegmentSequence?: string;
  /** Merged over the script's tags (the flag wins per key). */
  tags?: Record<string, string>;
  summaryTrendStats?: string[];
  summaryTimeUnit?: string;
  noColor?: boolean;
  discardResponseBodies?: boolean;
  userAgent?: string;
  maxRedirects?: number;
  noConnectionReuse?: boolean;
  insecureSkipTLSVerify?: boolean;
  httpTimeout?: string;
}

/** Default `User-Agent` header. */
export const DEFAULT_USER_AGENT = 'squall/0.1.0 (https://github.com/squall)';

/** The flag each override came from, for problem paths. */
const FLAGS: Readonly<Record<keyof OptionOverrides, string>> = {
  vus: '--vus',
  duration: '--duration',
  iterations: '--iterations',
  stages: '--stage',
  executionSegment: '--execution-segment',
  executionSegmentSequence: '--execution-segment-sequence',
  tags: '--tag',
  summaryTrendStats: '--summary-trend-stats',
  summaryTimeUnit: '--summary-time-unit',
  noColor: '--no-color',
  discardResponseBodies: '--discard-response-bodies',
  userAgent: '--user-agent',
  maxRedirects: '--max-redirects',
  noConnectionReuse: '--no-connection-reuse',
  insecureSkipTLSVerify: '--insecure-skip-tls-verify',
  httpTimeout: '--http-timeout',
};
const SUMMARY_TIME_UNITS = ['s', 'ms', 'us'];
const POSITIVE = { ms: 0, text: '0s', exclusive: true } as const;

function topLevel(scriptOptions: unknown, problems: ConfigProblem[], warnings: string[]): Record<string, unknown> {
  if (scriptOptions === undefined || scriptOptions === null) return {};
  if (!isRecord(scriptOptions)) {
    problems.push({ path: 'options', message: `must be an object, but is ${describeValue(scriptOptions)}; export const options = { ... }` });
    return {};
  }
  for (const key of Object.keys(scriptOptions)) {
    if (OPTION_KEYS.includes(key)) continue;
    if (IGNORED_K6_KEYS.includes(key)) {
      warnings.push(`option ${key} is a k6 option squall does not support; it is ignored`);
      continue;
    }
    const hint = suggestName(key, OPTION_KEYS);
    problems.push({ path: key, message: `is not an option${hint ? ` (did you mean "${hint}"?)` : ''}; valid options are: ${OPTION_KEYS.join(', ')}` });
  }
  return scriptOptions;
}

/**
 * Validates and resolves options once, before any VU starts. `knownMetrics` holds custom metrics
 * declared in init code (built-ins are always known). Throws ConfigError with every problem found;
 * warnings are for options accepted but ignored.
 */
export function resolveOptions(input: {
  scriptOptions: unknown;
  overrides: OptionOverrides;
  knownMetrics: ReadonlyMap<string, MetricType>;
}): { options: ResolvedOptions; warnings: string[] } {
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const raw = topLevel(input.scriptOptions, problems, warnings);
  const ov = input.overrides;
  const script = new FieldReader(raw, (key) => key, problems);
  const cliValues: Record<string, unknown> = { ...ov };
  // An empty --stage list (a CLI default) means no flag, not an empty ramp.
  const cliStages = ov.stages?.flatMap((s) => s.split(',')).filter((s) => s.trim() !== '');
  cliValues.stages = cliStages && cliStages.length > 0 ? cliStages : undefined;
  const cli = new FieldReader(cliValues, (key) => FLAGS[key as keyof OptionOverrides] ?? `--${key}`, problems);
  const pick = (key: keyof OptionOverrides): FieldReader => (cli.has(key) ? cli : script);

  const scenarios = resolveScenarios(
    { script: raw, cli: { vus: cliValues.vus, duration: cliValues.duration, iterations: cliValues.iterations, stages: cliValues.stages } },
    problems,
    warnings,
  );
  // Observed series are Gauges known before thresholds are checked, so thresholds may name them.
  const observed = readObserve(raw.observe, input.knownMetrics, problems);
  // The recovery backlog is followed live, so it must be a scraped series (not a Prometheus query, answered after the run).
  const observedGauges = new Set(observed.observe.targets.flatMap((t) => t.series.map((s) => s.name)));
  const recovery = readRecovery(raw.recovery, observed.known, observedGauges, problems);
  const thresholds = parseThresholds(raw.thresholds, recovery.known, 'thresholds');
  problems.push(...thresholds.problems);

  const summaryTrendStats = readTrendStats(pick('summaryTrendStats'), 'summaryTrendStats');
  const unitReader = pick('summaryTimeUnit');
  const summaryTimeUnit = unitReader.string('summaryTimeUnit', '');
  if (summaryTimeUnit !== undefined && summaryTimeUnit !== '' && !SUMMARY_TIME_UNITS.includes(summaryTimeUnit)) {
    unitReader.problem('summaryTimeUnit', `must be one of ${SUMMARY_TIME_UNITS.join(', ')}, but is ${describeValue(summaryTimeUnit)}`);
  }
  const scriptTags = script.stringRecord('tags');
  const cliTags = cli.stringRecord('tags');
  const segments = readSegments(pick('executionSegment'), pick('executionSegmentSequence'));

  const v = {
    summaryTrendStats,
    summaryTimeUnit,
    scriptTags,
    cliTags,
    segments,
    discardResponseBodies: pick('discardResponseBodies').bool('discardResponseBodies', false),
    setupTimeoutMs: script.duration('setupTimeout', POSITIVE, '60s'),
    teardownTimeoutMs: script.duration('teardownTimeout', POSITIVE, '60s'),
    userAgent: pick('userAgent').string('userAgent', DEFAULT_USER_AGENT),
    maxRedirects: pick('maxRedirects').int('maxRedirects', { min: 0 }, 10),
    httpTimeoutMs: pick('httpTimeout').duration('httpTimeout', POSITIVE, '60s'),
    expectedStatuses: readExpectedStatuses(script, 'expectedStatuses'),
    noConnectionReuse: pick('noConnectionReuse').bool('noConnectionReuse', false),
    insecureSkipTLSVerify: pick('insecureSkipTLSVerify').bool('insecureSkipTLSVerify', false),
    tlsAuth: readTlsAuth(raw.tlsAuth, problems),
    noCookiesReset: script.bool('noCookiesReset', false),
    batch: script.int('batch', { min: 1 }, 20),
    batchPerHost: script.int('batchPerHost', { min: 0 }, 6),
    noColor: pick('noColor').bool('noColor', false),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  const options: ResolvedOptions = {
    scenarios,
    thresholds: thresholds.set,
    summaryTrendStats: must(v.summaryTrendStats),
    summaryTimeUnit: must(v.summaryTimeUnit) || null,
    discardResponseBodies: must(v.discardResponseBodies),
    setupTimeoutMs: must(v.setupTimeoutMs),
    teardownTimeoutMs: must(v.teardownTimeoutMs),
    tags: { ...must(v.scriptTags), ...must(v.cliTags) },
    userAgent: must(v.userAgent),
    maxRedirects: must(v.maxRedirects),
    httpTimeoutMs: must(v.httpTimeoutMs),
    expectedStatuses: must(v.expectedStatuses),
    noConnectionReuse: must(v.noConnectionReuse),
    insecureSkipTLSVerify: must(v.insecureSkipTLSVerify),
    tlsAuth: v.tlsAuth,
    noCookiesReset: must(v.noCookiesReset),
    batch: must(v.batch),
    batchPerHost: must(v.batchPerHost),
    executionSegment: must(v.segments).segment,
    executionSegmentSequence: must(v.segments).sequence,
    noColor: must(v.noColor),
    observe: observed.observe,
    recovery: recovery.recovery,
  };
  return { options, warnings };
}

/** Readers return undefined only after recording a problem, and problems were thrown above. */
function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('internal: option unresolved without a problem');
  return value;
}
