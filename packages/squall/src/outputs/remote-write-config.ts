import { tryParseDurationMs } from '../config/duration.js';
import type { ConfigProblem } from '../errors.js';
import { parsePromTrendStats, type PromTrendStat } from './prometheus-naming.js';

/** Settings of the `experimental-prometheus-rw` output, resolved from k6's environment variables. */
export interface RemoteWriteConfig {
  /** The receiver's write endpoint. */
  readonly url: string;
  /** Time between pushes (ms). */
  readonly pushIntervalMs: number;
  /** Time one push may take before it counts as failed (ms). */
  readonly timeoutMs: number;
  readonly trendStats: readonly PromTrendStat[];
  /** Extra request headers (custom headers, basic auth, bearer token). */
  readonly headers: Readonly<Record<string, string>>;
  /** Labels added to every series (K6_PROMETHEUS_RW_LABELS); tags win over them. */
  readonly labels: Readonly<Record<string, string>>;
  /** Send staleness markers for every series at the end (K6_PROMETHEUS_RW_STALE_MARKERS). */
  readonly staleMarkers: boolean;
}

/** k6's defaults for this output. */
export const REMOTE_WRITE_DEFAULTS = {
  url: 'http://localhost:9090/api/v1/write',
  pushInterval: '5s',
  trendStats: 'p(99)',
  timeoutMs: 5000,
} as const;

const PREFIX = 'K6_PROMETHEUS_RW_';
const HEADER_PREFIX = `${PREFIX}HEADERS_`;
/** Variables k6 reads that squall does not implement: set, they are a config problem rather than silently ignored. */
const UNSUPPORTED = ['TREND_AS_NATIVE_HISTOGRAM', 'SIGV4_REGION', 'CLIENT_CERTIFICATE', 'CLIENT_CERTIFICATE_KEY', 'INSECURE_SKIP_TLS_VERIFY', 'TLS_MINIMUM_VERSION'];

function parseBool(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0' || t === '') return false;
  return undefined;
}

/**
 * Reads K6_PROMETHEUS_RW_* from `env` (k6's names and defaults). Every problem found goes into
 * `problems` (path = the variable); returns undefined when there was any.
 */
export function remoteWriteConfigFromEnv(env: Readonly<Record<string, string | undefined>>, problems: ConfigProblem[]): RemoteWriteConfig | undefined {
  const before = problems.length;
  const get = (name: string): string | undefined => {
    const v = env[PREFIX + name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const url = get('SERVER_URL') ?? REMOTE_WRITE_DEFAULTS.url;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
  } catch {
    problems.push({ path: `${PREFIX}SERVER_URL`, message: `must be an http(s) URL such as ${REMOTE_WRITE_DEFAULTS.url}, but is ${JSON.stringify(url)}` });
  }

  const intervalText = get('PUSH_INTERVAL') ?? REMOTE_WRITE_DEFAULTS.pushInterval;
  const pushIntervalMs = tryParseDurationMs(intervalText);
  if (pushIntervalMs === undefined || pushIntervalMs < 100) {
    problems.push({ path: `${PREFIX}PUSH_INTERVAL`, message: `must be a duration of at least 100ms such as 5s, but is ${JSON.stringify(intervalText)}` });
  }

  let trendStats: PromTrendStat[] = [];
  try {
    trendStats = parsePromTrendStats(get('TREND_STATS') ?? REMOTE_WRITE_DEFAULTS.trendStats, `${PREFIX}TREND_STATS`);
  } catch (err) {
    problems.push({ path: `${PREFIX}TREND_STATS`, message: (err as Error).message.replace(/^[^:]*: /, '') });
  }

  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(HEADER_PREFIX) && key.length > HEADER_PREFIX.length && value !== undefined) headers[key.slice(HEADER_PREFIX.length)] = value;
  }
  const httpHeaders = get('HTTP_HEADERS');
  if (httpHeaders !== undefined) {
    for (const pair of httpHeaders.split(',')) {
      const colon = pair.indexOf(':');
      if (colon <= 0) problems.push({ path: `${PREFIX}HTTP_HEADERS`, message: `each entry must be NAME:VALUE, separated by commas, but found ${JSON.stringify(pair)}` });
      else headers[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
    }
  }
  const username = env[`${PREFIX}USERNAME`];
  if (username !== undefined && username !== '') {
    headers.Authorization = `Basic ${Buffer.from(`${username}:${env[`${PREFIX}PASSWORD`] ?? ''}`).toString('base64')}`;
  }
  const bearer = get('BEARER_TOKEN');
  if (bearer !== undefined) headers.Authorization = `Bearer ${bearer}`;

  const labels: Record<string, string> = {};
  const labelsText = get('LABELS');
  if (labelsText !== undefined) {
    for (const pair of labelsText.split(',')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) problems.push({ path: `${PREFIX}LABELS`, message: `each entry must be NAME=VALUE, separated by commas, but found ${JSON.stringify(pair)}` });
      else labels[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }

  const staleText = get('STALE_MARKERS');
  const staleMarkers = staleText === undefined ? false : parseBool(staleText);
  if (staleMarkers === undefined) problems.push({ path: `${PREFIX}STALE_MARKERS`, message: `must be true or false, but is ${JSON.stringify(staleText)}` });

  for (const name of UNSUPPORTED) {
    const v = get(name);
    if (v === undefined || (name === 'TREND_AS_NATIVE_HISTOGRAM' && parseBool(v) === false)) continue;
    problems.push({ path: PREFIX + name, message: `is not supported by squall's experimental-prometheus-rw output (is ${JSON.stringify(v)}); unset it` });
  }

  if (problems.length > before || pushIntervalMs === undefined) return undefined;
  return {
    url,
    pushIntervalMs,
    timeoutMs: REMOTE_WRITE_DEFAULTS.timeoutMs,
    trendStats,
    headers,
    labels,
    staleMarkers: staleMarkers === true,
  };
}
