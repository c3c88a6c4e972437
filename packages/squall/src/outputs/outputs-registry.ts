import { tryParseDurationMs } from '../config/duration.js';
import type { ConfigProblem } from '../errors.js';
import type { LiveOutput } from './live-output.js';
import { PROMETHEUS_ENDPOINT_DEFAULT, PrometheusEndpointOutput } from './prometheus-endpoint.js';
import { parsePromTrendStats } from './prometheus-naming.js';
import { PrometheusRemoteWriteOutput } from './prometheus-remote-write.js';
import { remoteWriteConfigFromEnv } from './remote-write-config.js';
import { jsonOutput, csvOutput } from './samples/kinds.js';

/** What an output is built from besides its `--out NAME=ARG` argument. */
export interface OutputContext {
  /** Where settings such as K6_PROMETHEUS_RW_* are read (the process environment in the CLI). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Informational lines for the person running the test (the CLI prints them on stderr). */
  readonly log: (message: string) => void;
  /** Folder relative file names (`--out json=FILE`) resolve against; default the process's. */
  readonly cwd?: string;
}

/** One kind of live output: how `--out NAME[=ARG]` becomes a LiveOutput. */
export interface OutputKind {
  /** For help and error messages, e.g. `prometheus[=HOST:PORT]`. */
  readonly usage: string;
  /** Builds the output (no I/O until `start`), or records problems and returns undefined. */
  create(arg: string | undefined, ctx: OutputContext, problems: ConfigProblem[]): LiveOutput | undefined;
}

/** Trend stats of the exposition endpoint unless SQUALL_PROMETHEUS_TREND_STATS says otherwise. */
export const ENDPOINT_DEFAULT_TREND_STATS = 'avg,min,med,max,p(90),p(95),p(99),count,sum';

const prometheusEndpoint: OutputKind = {
  usage: 'prometheus[=HOST:PORT]',
  create(arg, ctx, problems) {
    const before = problems.length;
    let host: string = PROMETHEUS_ENDPOINT_DEFAULT.host;
    let port: number = PROMETHEUS_ENDPOINT_DEFAULT.port;
    if (arg !== undefined) {
      const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(arg.trim());
      const p = m === null ? NaN : Number(m[3]);
      if (m === null || p > 65535) {
        problems.push({ path: '--out prometheus', message: `the address must be HOST:PORT (e.g. 127.0.0.1:5656, :9100, 0.0.0.0:0), but is ${JSON.stringify(arg)}` });
      } else {
        host = m[1] ?? (m[2] === '' || m[2] === undefined ? PROMETHEUS_ENDPOINT_DEFAULT.host : m[2]);
        port = p;
      }
    }
    const statsText = ctx.env.SQUALL_PROMETHEUS_TREND_STATS?.trim() || ENDPOINT_DEFAULT_TREND_STATS;
    let trendStats: ReturnType<typeof parsePromTrendStats> = [];
    try {
      trendStats = parsePromTrendStats(statsText, 'SQUALL_PROMETHEUS_TREND_STATS');
    } catch (err) {
      problems.push({ path: 'SQUALL_PROMETHEUS_TREND_STATS', message: (err as Error).message.replace(/^[^:]*: /, '') });
    }
    const lingerText = ctx.env.SQUALL_PROMETHEUS_LINGER?.trim() || '0s';
    const lingerMs = tryParseDurationMs(lingerText);
    if (lingerMs === undefined || lingerMs < 0) {
      problems.push({ path: 'SQUALL_PROMETHEUS_LINGER', message: `must be a duration such as 15s, but is ${JSON.stringify(lingerText)}` });
    }
    if (problems.length > before) return undefined;
    return new PrometheusEndpointOutput({ host, port, trendStats, lingerMs: lingerMs ?? 0, log: ctx.log });
  },
};

const prometheusRemoteWrite: OutputKind = {
  usage: 'experimental-prometheus-rw',
  create(arg, ctx, problems) {
    if (arg !== undefined) {
      problems.push({ path: '--out experimental-prometheus-rw', message: `takes no argument (settings come from K6_PROMETHEUS_RW_* variables), but was given ${JSON.stringify(arg)}` });
      return undefined;
    }
    const config = remoteWriteConfigFromEnv(ctx.env, problems);
    return config === undefined ? undefined : new PrometheusRemoteWriteOutput(config);
  },
};

/** Every `--out` name squall knows. */
export const OUTPUTS = {
  prometheus: prometheusEndpoint,
  'experimental-prometheus-rw': prometheusRemoteWrite,
  json: jsonOutput,
  csv: csvOutput,
} as const satisfies Readonly<Record<string, OutputKind>>;

/** A valid `--out` name. */
export type OutputName = keyof typeof OUTPUTS;

function isOutputName(name: string): name is OutputName {
  return Object.hasOwn(OUTPUTS, name);
}

/**
 * Builds the outputs of `--out NAME[=ARG]` values (k6's flag, repeatable). Unknown names and bad
 * settings go into `problems` (the CLI reports them all and exits 104); what was valid is returned.
 */
export function createOutputs(specs: readonly string[], ctx: OutputContext, problems: ConfigProblem[]): LiveOutput[] {
  const outputs: LiveOutput[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const name = (eq < 0 ? spec : spec.slice(0, eq)).trim();
    const arg = eq < 0 ? undefined : spec.slice(eq + 1);
    if (!isOutputName(name)) {
      const valid = Object.values(OUTPUTS).map((o) => o.usage).join(', ');
      problems.push({ path: '--out', message: `unknown output ${JSON.stringify(name)}; valid outputs: ${valid}` });
      continue;
    }
    const output = OUTPUTS[name].create(arg, ctx, problems);
    if (output !== undefined) outputs.push(output);
  }
  return outputs;
}
