import type { ResolvedOptions } from '../../config/types.js';
import type { RunCoordinator } from '../../engine/coordinator-hook.js';
import { SquallError } from '../../errors.js';
import type { TimeSeriesPoint } from '../../metrics/time-series-point.js';
import { instanceSegment } from '../instances.js';
import { FleetMerger, type FleetResult, type InstanceDone } from './fleet-merger.js';
import { codec, ctlStream, dataSubject, follow, heartbeatSubject, openTransport, type FleetTransport } from './transport.js';

/** How one instance joins a fleet. */
export interface LinkOptions {
  /** NATS URL of the coordination service, e.g. nats://127.0.0.1:4222. */
  readonly url: string;
  /** Names the run: every instance of one run gives the same id. */
  readonly runId: string;
  readonly index: number;
  readonly count: number;
  /** How long the start barrier waits for every instance (default 60 s). */
  readonly startTimeoutMs?: number | undefined;
  /** An instance not heard from for this long is declared missing (default 5 s = 5 intervals). */
  readonly heartbeatTimeoutMs?: number | undefined;
  readonly log?: ((message: string) => void) | undefined;
}

export const DEFAULT_START_TIMEOUT_MS = 60_000;
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 5_000;

type Control = { start?: unknown; setup?: { data: unknown }; abort?: { key: string; source: string }; fail?: { message: string }; result?: FleetResult };

/**
 * One instance's side of the coordination; instance 0 also runs the FleetMerger. Implements the
 * engine's RunCoordinator hook; `complete()` after the run reports it done (and, on instance 0,
 * returns the fleet's merged result).
 */
export class InstanceLink implements RunCoordinator {
  readonly judgesThresholds = true;
  private readonly control: Control = {};
  private waiters: (() => void)[] = [];
  private readonly publishes: Promise<unknown>[] = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private stopFollow: (() => void) | undefined;

  private constructor(
    private readonly t: FleetTransport,
    private readonly o: LinkOptions,
    private readonly merger: FleetMerger | undefined,
  ) {}

  static async connect(o: LinkOptions): Promise<InstanceLink> {
    instanceSegment(o.index, o.count);
    const t = await openTransport(o.url, o.runId, `squall instance ${o.index}/${o.count}`);
    const log = o.log ?? (() => {});
    const merger = o.index === 0 ? new FleetMerger(t, o.count, o.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS, log) : undefined;
    await merger?.open();
    const link = new InstanceLink(t, o, merger);
    const f = await follow(t, ctlStream(o.runId), (subject, data) => link.onControl(subject.split('.').pop() ?? '', data));
    link.stopFollow = f.stop;
    link.heartbeat = setInterval(() => t.nc.publish(heartbeatSubject(o.runId, o.index)), 1000);
    return link;
  }

  get segment(): string {
    return instanceSegment(this.o.index, this.o.count).segment;
  }

  async awaitStart(options: ResolvedOptions): Promise<void> {
    const timeout = this.o.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    this.merger?.armBarrier(options, timeout);
    await this.t.js.publish(dataSubject(this.o.runId, 'ready', this.o.index), codec.encode({ atMs: Date.now() }));
    await this.waitFor('start', timeout + 5000, `instance 0 (the coordinator) did not open the start barrier within ${timeout + 5000} ms; is it running with the same --run-id?`);
  }

  async setupData(runSetup: () => Promise<unknown>): Promise<unknown> {
    if (this.merger === undefined) {
      await this.waitFor('setup', 24 * 3600_000, 'setup data never came');
      return this.control.setup?.data;
    }
    try {
      const data = await runSetup();
      this.merger.publish('setup', { data: data ?? null });
      return data;
    } catch (err) {
      this.merger.publish('fail', { message: `setup() failed on instance 0: ${(err as Error).message}` });
      throw err;
    }
  }

  publishInterval(point: TimeSeriesPoint): void {
    this.publishes.push(this.t.js.publish(dataSubject(this.o.runId, 'iv', this.o.index), codec.encode(point)).catch((err: Error) => this.o.log?.(`coordination: an interval was not published: ${err.message}`)));
  }

  shouldAbort(): { key: string; source: string } | undefined {
    return this.control.abort;
  }

  async finish(runTeardown: () => Promise<void>): Promise<void> {
    if (this.merger === undefined) return;
    await this.merger.othersFinished();
    await runTeardown();
  }

  /** Reports this instance done; on instance 0, waits for the fleet and returns (and publishes) the merged result. */
  async complete(done: InstanceDone): Promise<FleetResult | undefined> {
    await Promise.all(this.publishes.splice(0));
    await this.t.js.publish(dataSubject(this.o.runId, 'done', this.o.index), codec.encode(done));
    if (this.merger === undefined) return undefined;
    const result = await this.merger.result();
    await this.t.js.publish(`squall.${this.o.runId}.ctl.result`, codec.encode(result));
    return result;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.stopFollow?.();
    await this.t.nc.drain().catch(() => {});
  }

  private onControl(kind: string, data: unknown): void {
    (this.control as Record<string, unknown>)[kind] = data;
    for (const w of this.waiters.splice(0)) w();
  }

  private waitFor(kind: 'start' | 'setup', timeoutMs: number, timeoutText: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new SquallError('SQUALL_INCOMPLETE', timeoutText)), timeoutMs);
      const check = () => {
        if (this.control.fail !== undefined) {
          clearTimeout(timer);
          reject(new SquallError('SQUALL_INCOMPLETE', this.control.fail.message));
        } else if (this.control[kind] !== undefined) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }
}

/** Waits for a run's merged result (what the parent of `squall run --instances N` prints). */
export async function awaitFleetResult(t: FleetTransport): Promise<{ result: Promise<FleetResult | { fail: string }>; stop(): void }> {
  let resolveResult: (r: FleetResult | { fail: string }) => void = () => {};
  const result = new Promise<FleetResult | { fail: string }>((r) => (resolveResult = r));
  const f = await follow(t, ctlStream(t.runId), (subject, data) => {
    const kind = subject.split('.').pop();
    if (kind === 'result') resolveResult(data as FleetResult);
    if (kind === 'fail') resolveResult({ fail: (data as { message: string }).message });
  });
  return { result, stop: f.stop };
}
