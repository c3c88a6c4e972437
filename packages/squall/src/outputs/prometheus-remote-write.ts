import snappy from 'snappyjs';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import type { LiveOutput, LiveOutputStart } from './live-output.js';
import { PrometheusSeries, type PromSample } from './prometheus-series.js';
import type { RemoteWriteConfig } from './remote-write-config.js';
import { encodeWriteRequest, type WriteSeries } from './remote-write-proto.js';

/** Request headers the remote-write 1.0 protocol requires. */
export const REMOTE_WRITE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Encoding': 'snappy',
  'Content-Type': 'application/x-protobuf',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
  'User-Agent': 'squall-prometheus-rw',
};

/** A remote-write body: the WriteRequest protobuf of `samples`, Snappy block-compressed. */
export function remoteWriteBody(samples: readonly PromSample[], stale = false): Uint8Array {
  const series: WriteSeries[] = samples.map((s) => ({
    labels: [['__name__', s.name] as const, ...s.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    samples: [{ value: s.value, timestampMs: s.timestampMs, stale }],
  }));
  return snappy.compress(encodeWriteRequest(series));
}

/**
 * k6's `experimental-prometheus-rw` output: every push interval, the run-so-far totals of the series
 * that changed since the last successful push go to a Prometheus remote-write receiver (k6's naming).
 * A failed push is not resent as is: its series stay pending and the next push carries their newer
 * totals. Failures never fail the run; they are counted and reported once by `stop()`, which also
 * makes the final push so the last interval arrives.
 */
export class PrometheusRemoteWriteOutput implements LiveOutput {
  readonly description: string;
  private readonly series: PrometheusSeries;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  /** Series changed by intervals ending after this were not delivered yet. */
  private deliveredThroughMs = -Infinity;
  private attempts = 0;
  private failures = 0;
  private lastError = '';
  private lastPushFailed = false;

  constructor(private readonly config: RemoteWriteConfig) {
    this.description = `experimental-prometheus-rw (${config.url})`;
    this.series = new PrometheusSeries(config.trendStats);
  }

  async start(run: LiveOutputStart): Promise<void> {
    this.series.setConstantLabels({ ...this.config.labels, ...run.options.tags });
    this.timer = setInterval(() => void this.flush(), this.config.pushIntervalMs);
    this.timer.unref();
  }

  interval(point: TimeSeriesPoint): void {
    this.series.add(point);
  }

  async stop(): Promise<readonly string[]> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
    await this.flush();
    if (this.config.staleMarkers && !this.lastPushFailed) await this.sendStaleMarkers();
    if (this.failures === 0) return [];
    const end = this.lastPushFailed ? 'the final push failed too, so the last values are missing there' : 'later pushes carried the totals on';
    return [
      `${this.description}: ${this.failures} of ${this.attempts} pushes failed (last: ${this.lastError}); ${end}`,
    ];
  }

  /**
   * Pushes what changed since the last delivery now (the timer calls this every push interval);
   * joins a push already in flight instead of starting a second one. Never rejects.
   */
  flush(): Promise<void> {
    if (this.inFlight !== undefined) return this.inFlight;
    const throughMs = this.series.latestMs;
    const samples = this.series.samples(this.deliveredThroughMs);
    if (samples.length === 0) return Promise.resolve();
    this.inFlight = this.send(remoteWriteBody(samples))
      .then((error) => {
        this.attempts++;
        this.lastPushFailed = error !== undefined;
        if (error === undefined) this.deliveredThroughMs = throughMs;
        else {
          this.failures++;
          this.lastError = error;
        }
      })
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Marks every series stale one millisecond after its last sample (k6's K6_PROMETHEUS_RW_STALE_MARKERS). */
  private async sendStaleMarkers(): Promise<void> {
    const samples = this.series.samples().map((s) => ({ ...s, timestampMs: s.timestampMs + 1 }));
    if (samples.length === 0) return;
    this.attempts++;
    const error = await this.send(remoteWriteBody(samples, true));
    if (error !== undefined) {
      this.failures++;
      this.lastError = `stale markers: ${error}`;
    }
  }

  /** POSTs a body; resolves to an error description, or undefined on a 2xx. */
  private async send(body: Uint8Array): Promise<string | undefined> {
    try {
      const res = await fetch(this.config.url, {
        method: 'POST',
        headers: { ...this.config.headers, ...REMOTE_WRITE_HEADERS },
        body,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      const text = await res.text();
      if (res.ok) return undefined;
      return `HTTP ${res.status}${text.trim() === '' ? '' : `: ${text.trim().slice(0, 200)}`}`;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      return e.cause?.code ?? e.cause?.message ?? e.message;
    }
  }
}
