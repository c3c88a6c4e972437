import type { ExecutorPlan } from '../executors/types.js';
import type { VuState } from '../runtime/vu-context.js';
import type { StopControl } from './stop-control.js';
import { IterationRunner, type ScenarioState } from './worker-context.js';

/** Where a worker runs a plan: its place among the instance's workers, and the scenario's start. */
export interface RunPlace {
  readonly workerIndex: number;
  readonly workerCount: number;
  /** ms since test origin at which the scenario starts. */
  readonly startAt: number;
}

type PlanOf<K extends ExecutorPlan['kind']> = Extract<ExecutorPlan, { kind: K }>;

/**
 * Waits for `work` until `endAt` (or a stop), then gives in-flight iterations `gracefulStopMs`
 * before abandoning them.
 */
async function finish(s: ScenarioState, control: StopControl, work: Promise<unknown>, endAt: number): Promise<void> {
  let settled = false;
  const done = work.then(() => {
    settled = true;
  });
  await Promise.race([done, control.waitUntil(endAt)]);
  if (settled) return;
  if (!control.hard) {
    await Promise.race([done, control.waitUntil(control.now() + s.scenario.gracefulStopMs, false)]);
    if (settled) return;
  }
  // Cut off by the stop that ended the scenario early (signal, abortOnFail...), else by its own end.
  s.interruptAll(control.cause ?? 'gracefulStop');
}

/** What a VU loop asks before each iteration. */
interface LoopSource {
  /** The next iteration's number in the scenario at `nowMs` (ms since the test's origin), or undefined to end the loop (stop, time up, none left). */
  nextIteration(nowMs: number): number | undefined;
  /** The VU to run it on: the loop's VU, or a new incarnation after an interrupted one. */
  vuFor(previous: VuState | undefined): VuState;
}

/**
 * One VU slot's iterations back to back, driven by the iterations' own callbacks rather than by
 * awaits: between two iterations it creates no promise (each one pays an AsyncLocalStorage hook).
 * It continues from a macrotask when the LoopGuard says the event loop has starved, and from a
 * microtask after an iteration that ended synchronously, so such loops still take turns.
 *
 * Lifecycle: `start()` once; `done` resolves (and `onEnd` runs) when the loop ends, which never
 * happens while an abandoned iteration hangs (the runners stop waiting for it at gracefulStop).
 */
class VuLoop {
  readonly done: Promise<void>;
  #resolveDone: () => void = () => undefined;
  #vu: VuState | undefined;
  readonly #runner: IterationRunner;
  readonly #continue = (): void => this.#next(this.s.w.now());

  constructor(
    readonly s: ScenarioState,
    readonly source: LoopSource,
    /** Runs synchronously when the loop ends. */
    readonly onEnd?: () => void,
  ) {
    this.#runner = new IterationRunner(s, () => this.#ended(false));
    this.done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
  }

  start(): void {
    this.#next(this.s.w.now());
  }

  #next(nowMs: number): void {
    const iteration = this.source.nextIteration(nowMs);
    if (iteration === undefined) {
      this.#finish();
      return;
    }
    const vu = this.source.vuFor(this.#vu);
    this.#vu = vu;
    if (this.#runner.run(vu, 0, iteration) !== undefined) this.#ended(true);
  }

  #ended(synchronously: boolean): void {
    // The iteration's end time serves the loop's checks: one clock reading fewer per iteration.
    const nowMs = this.#runner.endedAtMs;
    if ((this.#vu as VuState).interrupted) this.#finish();
    else if (this.s.w.starved(nowMs)) setImmediate(this.#continue);
    else if (synchronously) queueMicrotask(this.#continue);
    else this.#next(nowMs);
  }

  #finish(): void {
    this.onEnd?.();
    this.#resolveDone();
  }
}

/** Closed model: each VU loops while `more()` says so and time remains. */
async function runLoops(
  s: ScenarioState,
  control: StopControl,
  vuIndexes: readonly number[],
  endAt: number,
  next: (vuSlot: number) => number | undefined,
): Promise<void> {
  s.progress.allocatedVUs = vuIndexes.length;
  const loops = vuIndexes.map((index, slot) => {
    const vu = s.newVu(index);
    const loop = new VuLoop(s, {
      nextIteration: (nowMs) => (control.stopping || nowMs >= endAt ? undefined : next(slot)),
      vuFor: () => vu,
    });
    loop.start();
    return loop.done;
  });
  await finish(s, control, Promise.all(loops), endAt);
}

function runSharedIterations(s: ScenarioState, plan: PlanOf<'shared-iterations'>, control: StopControl, at: RunPlace) {
  const totalVus = s.scenario.executor === 'shared-iterations' ? s.scenario.vus : plan.vuIndexes.length;
  const owned = [...plan.vuIndexes].sort((a, b) => a - b);
  let taken = 0;
  // The j-th iteration this worker takes is global iteration floor(j/m)*V + owned[j mod m]: unique across the test.
  const next = () => {
    if (taken >= plan.iterations || owned.length === 0) return undefined;
    const j = taken++;
    return Math.floor(j / owned.length) * totalVus + (owned[j % owned.length] ?? 0);
  };
  return runLoops(s, control, plan.vuIndexes, at.startAt + plan.maxDurationMs, next);
}

function runPerVuIterations(s: ScenarioState, plan: PlanOf<'per-vu-iterations'>, control: StopControl, at: RunPlace) {
  const done = plan.vuIndexes.map(() => 0);
  const next = (slot: number) => {
    const n = done[slot] ?? 0;
    if (n >= plan.iterationsPerVu) return undefined;
    done[slot] = n + 1;
    return (plan.vuIndexes[slot] ?? 0) * plan.iterationsPerVu + n;
  };
  return runLoops(s, control, plan.vuIndexes, at.startAt + plan.maxDurationMs, next);
}

function localCounter(at: RunPlace): () => number {
  let n = 0;
  return () => n++ * at.workerCount + at.workerIndex;
}

function runConstantVus(s: ScenarioState, plan: PlanOf<'constant-vus'>, control: StopControl, at: RunPlace) {
  const next = localCounter(at);
  return runLoops(s, control, plan.vuIndexes, at.startAt + plan.durationMs, () => next());
}

/** ramping-vus: VUs start and stop at the plan's steps; stopped VUs finish their iteration within gracefulRampDown. */
async function runRampingVus(s: ScenarioState, plan: PlanOf<'ramping-vus'>, control: StopControl, at: RunPlace) {
  const endAt = at.startAt + plan.durationMs;
  const nextIter = localCounter(at);
  const wanted: boolean[] = plan.vuIndexes.map(() => false);
  const loops: (Promise<void> | undefined)[] = plan.vuIndexes.map(() => undefined);
  const current: (VuState | undefined)[] = plan.vuIndexes.map(() => undefined);
  s.progress.allocatedVUs = plan.vuIndexes.length;

  const sources: LoopSource[] = plan.vuIndexes.map((index, slot) => ({
    nextIteration: (nowMs) => (wanted[slot] && !control.stopping && nowMs < endAt ? nextIter() : undefined),
    vuFor: () => {
      let vu = current[slot];
      if (vu === undefined || vu.interrupted) current[slot] = vu = s.newVu(index);
      return vu;
    },
  }));
  const start = (slot: number) => {
    wanted[slot] = true;
    if (loops[slot] !== undefined) return;
    const loop = new VuLoop(s, sources[slot] as LoopSource, () => {
      loops[slot] = undefined;
    });
    loops[slot] = loop.done;
    loop.start();
  };
  const rampDown = (slot: number) => {
    wanted[slot] = false;
    const vu = current[slot];
    if (vu === undefined || !s.busy.has(vu)) return;
    void control.waitUntil(s.w.now() + plan.gracefulRampDownMs, false).then(() => {
      if (!wanted[slot] && current[slot] === vu) s.interrupt(vu, 'gracefulRampDown');
    });
  };

  let active = 0;
  for (const step of plan.steps) {
    const reached = await control.waitUntil(at.startAt + step.atMs);
    if (!reached) break;
    for (; active < step.vus; active++) start(active);
    for (; active > step.vus; active--) rampDown(active - 1);
  }
  const all = () => Promise.all(loops.filter((l): l is Promise<void> => l !== undefined));
  await finish(s, control, control.waitUntil(endAt).then(all), endAt);
}

/** A VU of the open model with its runner (one iteration at a time). */
class OpenVu {
  readonly runner: IterationRunner;
  constructor(
    s: ScenarioState,
    readonly vu: VuState,
    ended: (open: OpenVu) => void,
  ) {
    this.runner = new IterationRunner(s, () => ended(this));
  }
}

/** Open model: iterations start at their intended times on a free VU; none free and none to add means dropped. */
async function runArrivalRate(s: ScenarioState, plan: PlanOf<'arrival-rate'>, control: StopControl, at: RunPlace) {
  const w = s.w;
  const endAt = at.startAt + plan.durationMs;
  const idle: OpenVu[] = [];
  let inFlight = 0;
  let drained: (() => void) | undefined;
  // A VU goes back to the idle pool when its iteration ends, unless that iteration was cut off.
  const ended = (open: OpenVu) => {
    inFlight--;
    if (!open.vu.interrupted) idle.push(open);
    if (inFlight === 0) drained?.();
  };
  let allocated = 0;
  const allocate = () => new OpenVu(s, s.newVu(plan.vuIndexes[allocated++] ?? 0), ended);
  for (let i = 0; i < plan.preAllocated; i++) idle.push(allocate());
  s.progress.allocatedVUs = allocated;
  const arrivals = plan.arrivals();

  for (let next = arrivals.next(); !next.done; next = arrivals.next()) {
    const due = at.startAt + next.value.atMs;
    if (due >= endAt) break;
    if (due > w.now() && !(await control.waitUntil(due))) break;
    if (control.stopping) break;
    let open = idle.pop();
    if (open === undefined && allocated < plan.vuIndexes.length) {
      open = allocate();
      s.progress.allocatedVUs = allocated;
    }
    if (open === undefined) {
      s.progress.dropped++;
      w.sink.add(w.ids.droppedIterations, s.tagSetId, 1);
      continue;
    }
    const delay = Math.max(0, w.now() - due);
    w.sink.add(w.ids.iterationStartDelay, s.tagSetId, delay);
    inFlight++;
    if (open.runner.run(open.vu, delay, next.value.index) !== undefined) ended(open);
  }
  const all = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve));
  await finish(s, control, all, endAt);
}

/** Runs `plan` for scenario `s` in this worker until it ends or is stopped. */
export async function runPlan(s: ScenarioState, plan: ExecutorPlan, control: StopControl, at: RunPlace): Promise<void> {
  switch (plan.kind) {
    case 'shared-iterations':
      return runSharedIterations(s, plan, control, at);
    case 'per-vu-iterations':
      return runPerVuIterations(s, plan, control, at);
    case 'constant-vus':
      return runConstantVus(s, plan, control, at);
    case 'ramping-vus':
      return runRampingVus(s, plan, control, at);
    case 'arrival-rate':
      return runArrivalRate(s, plan, control, at);
  }
}
