import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SquallError } from '../errors.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import type { LiveOutput, LiveOutputStart } from './live-output.js';
import type { PromTrendStat } from './prometheus-naming.js';
import { PrometheusSeries } from './prometheus-series.js';
import { EXPOSITION_CONTENT_TYPE, formatExposition } from './prometheus-text.js';

/** Settings of the `prometheus` output (squall's own: an endpoint to scrape). */
export interface PrometheusEndpointConfig {
  readonly host: string;
  /** 0 picks a free port (the URL printed on start says which). */
  readonly port: number;
  readonly trendStats: readonly PromTrendStat[];
  /** Keep serving the final totals this long after the test ends (ms), so a scraper sees them. */
  readonly lingerMs: number;
  /** Where the endpoint URL is announced once listening. */
  readonly log: (message: string) => void;
}

/** Default address of the endpoint: loopback only; 5656 is clear of k6's API (6565) and Prometheus (9090). */
export const PROMETHEUS_ENDPOINT_DEFAULT = { host: '127.0.0.1', port: 5656 } as const;

/**
 * Serves `GET /metrics` in the Prometheus text format while the test runs: the run-so-far totals
 * of every series in k6's naming (prometheus-naming.ts), updated after every closed 1 s interval.
 * Listening fails the run (SQUALL_CONFIG_INVALID, exit 104) when the address is taken.
 */
export class PrometheusEndpointOutput implements LiveOutput {
  private readonly series: PrometheusSeries;
  private server: Server | undefined;
  private url: string;

  constructor(private readonly config: PrometheusEndpointConfig) {
    this.series = new PrometheusSeries(config.trendStats);
    this.url = `http://${formatHost(config.host)}:${config.port}/metrics`;
  }

  get description(): string {
    return `prometheus endpoint ${this.url}`;
  }

  async start(run: LiveOutputStart): Promise<void> {
    this.series.setConstantLabels(run.options.tags);
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      if (path !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('squall serves its metrics at /metrics\n');
        return;
      }
      const body = formatExposition(this.series.samples());
      res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          new SquallError(
            'SQUALL_CONFIG_INVALID',
            `--out prometheus: cannot listen on ${formatHost(this.config.host)}:${this.config.port} (${err.code ?? err.message}); ` +
              'pick a free address with --out prometheus=HOST:PORT (port 0 picks one)',
            { cause: err },
          ),
        );
      });
      server.listen(this.config.port, this.config.host, () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.url = `http://${formatHost(this.config.host)}:${port}/metrics`;
    this.config.log(`prometheus: serving metrics at ${this.url}`);
  }

  interval(point: TimeSeriesPoint): void {
    this.series.add(point);
  }

  async stop(): Promise<readonly string[]> {
    const server = this.server;
    if (server === undefined) return [];
    this.server = undefined;
    if (this.config.lingerMs > 0) await new Promise((r) => setTimeout(r, this.config.lingerMs));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return [];
  }
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
