import type { ResolvedScenario } from '../config/types.js';
import type { MetricSink } from '../metrics/types.js';
import type { InstanceCounters } from '../runtime/thread-runtime.js';
import { IterationInterrupted, TestAbort } from '../runtime/interrupted.js';
import { vuContextStorage, type ScenarioInfo, type VuContext, type VuState } from '../runtime/vu-context.js';

/** An exported exec function of the script. */
export type ExecFn = (data: unknown) => unknown;

/** Metric ids the engine records on every iteration, resolved once per worker. */
export interface EngineMetricIds {
  readonly iterations: number;
  readonly iterationDuration: number;
  readonly iterationErrors: number;
  readonly droppedIterations: number;
  readonly iterationStartDelay: number;
}

/** What every scenario runner in a worker shares. */
export interface WorkerContext {
  readonly sink: MetricSink;
  readonly ids: EngineMetricIds;
  readonly counters: InstanceCounters;
  readonly setupData: unknown;
  /** ms since the test's start (shared origin across workers). */
  now(): number;
  /** Records an exception thrown by an iteration (deduplicated by the caller of the worker). */
  reportError(err: unknown, scenario: string): void;
  /** Called when VU code aborted the test. */
  reportAbort(message: string): void;
  readonly baseTags: Readonly<Record<string, string>>;
  /** Next VU id in this worker (1-based), for `exec.vu.idInInstance`. */
  nextVuId(): number;
  /** Yields to the event loop when VU loops have kept it busy too long (see LoopGuard). */
  maybeYield(): Promise<void> | undefined;
}

/** Live per-scenario tallies, sent to the main thread with each snapshot. */
export interface ScenarioProgress {
  readonly name: string;
  activeVUs: number;
  allocatedVUs: number;
  completed: number;
  interrupted: number;
  dropped: number;
  done: boolean;
}

export type IterationOutcome = 'ok' | 'error' | 'interrupted';

/** Per-scenario state shared by its VUs in one worker. */
export class ScenarioState {
  readonly info: ScenarioInfo;
  readonly tags: Readonly<Record<string, string>>;
  readonly tagSetId: number;
  readonly progress: ScenarioProgress;
  /** VU incarnations with an iteration in flight. */
  readonly busy = new Set<VuState>();

  constructor(
    readonly w: WorkerContext,
    readonly scenario: ResolvedScenario,
    readonly fn: ExecFn,
    /** Offset added to scenario VU indices to make `exec.vu.idInTest` unique across scenarios. */
    readonly vuIdOffset: number,
  ) {
    this.tags = { ...w.baseTags, ...scenario.tags, scenario: scenario.name };
    this.tagSetId = w.sink.tagSet(this.tags);
    this.info = { name: scenario.name, executor: scenario.executor, startTimeMs: 0, iterationsInInstance: 0 };
    this.progress = { name: scenario.name, activeVUs: 0, allocatedVUs: 0, completed: 0, interrupted: 0, dropped: 0, done: false };
  }

  /** A new VU incarnation for global scenario VU index `index`. */
  newVu(index: number): VuState {
    this.w.counters.vusInitialized++;
    return {
      idInInstance: this.w.nextVuId(),
      idInTest: this.vuIdOffset + index + 1,
      scenario: this.info,
      customTags: {},
      iterationInInstance: -1,
      iterationInScenario: -1,
      interrupted: false,
    };
  }

  /** Runs one iteration on `vu`. `startDelayMs` > 0 only for late arrival-rate iterations. */
  async iterate(vu: VuState, startDelayMs: number, iterationInScenario: number): Promise<IterationOutcome> {
    const w = this.w;
    vu.iterationInInstance++;
    vu.iterationInScenario = iterationInScenario;
    this.info.iterationsInInstance++;
    const hasVuTags = Object.keys(vu.customTags).length > 0;
    const tags = hasVuTags ? { ...this.tags, ...vu.customTags } : this.tags;
    const tagSetId = hasVuTags ? w.sink.tagSet(tags) : this.tagSetId;
    const ctx: VuContext = { vu, groupPath: '', tags, startDelayMs };
    this.busy.add(vu);
    this.progress.activeVUs++;
    w.counters.vusActive++;
    const started = performance.now();
    let outcome: IterationOutcome = 'ok';
    try {
      await vuContextStorage.run(ctx, this.fn, w.setupData);
    } catch (err) {
      if (err instanceof TestAbort) {
        w.reportAbort(err.message);
        outcome = 'interrupted';
      } else if (vu.interrupted || err instanceof IterationInterrupted) {
        outcome = 'interrupted';
      } else {
        outcome = 'error';
        w.reportError(err, this.scenario.name);
      }
    }
    if (vu.interrupted) outcome = 'interrupted';
    // An abandoned iteration was already counted as interrupted when it was cut off.
    if (!this.busy.delete(vu)) return 'interrupted';
    this.progress.activeVUs--;
    w.counters.vusActive--;
    if (outcome === 'interrupted') {
      this.progress.interrupted++;
      w.counters.iterationsInterrupted++;
      return outcome;
    }
    w.sink.add(w.ids.iterationDuration, tagSetId, performance.now() - started);
    w.sink.add(w.ids.iterations, tagSetId, 1);
    if (outcome === 'error') w.sink.add(w.ids.iterationErrors, tagSetId, 1);
    this.progress.completed++;
    w.counters.iterationsCompleted++;
    return outcome;
  }

  /** Abandons `vu`'s in-flight iteration (graceful stop expired): counted as interrupted. */
  interrupt(vu: VuState): void {
    if (!this.busy.delete(vu)) return;
    vu.interrupted = true;
    this.progress.activeVUs--;
    this.progress.interrupted++;
    this.w.counters.vusActive--;
    this.w.counters.iterationsInterrupted++;
  }

  /** Abandons every in-flight iteration. */
  interruptAll(): void {
    for (const vu of [...this.busy]) this.interrupt(vu);
  }
}
