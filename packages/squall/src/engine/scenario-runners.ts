import type { ExecutorPlan } from '../executors/types.js';
import type { VuState } from '../runtime/vu-context.js';
import type { StopControl } from './stop-control.js';
import type { ScenarioState } from './worker-context.js';

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
  s.interruptAll();
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
  const loop = async (slot: number, index: number) => {
    const vu = s.newVu(index);
    for (;;) {
      if (control.stopping || s.w.now() >= endAt) return;
      const iter = next(slot);
      if (iter === undefined) return;
      await s.iterate(vu, 0, iter);
      if (vu.interrupted) return;
      await s.w.maybeYield();
    }
  };
  await finish(s, control, Promise.all(vuIndexes.map((index, slot) => loop(slot, index))), endAt);
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

  const loop = async (slot: number) => {
    while (wanted[slot] && !control.stopping && s.w.now() < endAt) {
      let vu = current[slot];
      if (vu === undefined || vu.interrupted) current[slot] = vu = s.newVu(plan.vuIndexes[slot] ?? 0);
      await s.iterate(vu, 0, nextIter());
      if (vu.interrupted) break;
      await s.w.maybeYield();
    }
    loops[slot] = undefined;
  };
  const start = (slot: number) => {
    wanted[slot] = true;
    loops[slot] ??= loop(slot);
  };
  const rampDown = (slot: number) => {
    wanted[slot] = false;
    const vu = current[slot];
    if (vu === undefined || !s.busy.has(vu)) return;
    void control.waitUntil(s.w.now() + plan.gracefulRampDownMs, false).then(() => {
      if (!wanted[slot] && current[slot] === vu) s.interrupt(vu);
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

/** Open model: iterations start at their intended times on a free VU; none free and none to add means dropped. */
async function runArrivalRate(s: ScenarioState, plan: PlanOf<'arrival-rate'>, control: StopControl, at: RunPlace) {
  const w = s.w;
  const endAt = at.startAt + plan.durationMs;
  const idle: VuState[] = [];
  let allocated = 0;
  const allocate = () => s.newVu(plan.vuIndexes[allocated++] ?? 0);
  for (let i = 0; i < plan.preAllocated; i++) idle.push(allocate());
  s.progress.allocatedVUs = allocated;
  const inFlight = new Set<Promise<void>>();
  const arrivals = plan.arrivals();

  for (let next = arrivals.next(); !next.done; next = arrivals.next()) {
    const due = at.startAt + next.value.atMs;
    if (due >= endAt) break;
    if (due > w.now() && !(await control.waitUntil(due))) break;
    if (control.stopping) break;
    let vu = idle.pop();
    if (vu === undefined && allocated < plan.vuIndexes.length) {
      vu = allocate();
      s.progress.allocatedVUs = allocated;
    }
    if (vu === undefined) {
      s.progress.dropped++;
      w.sink.add(w.ids.droppedIterations, s.tagSetId, 1);
      continue;
    }
    const delay = Math.max(0, w.now() - due);
    w.sink.add(w.ids.iterationStartDelay, s.tagSetId, delay);
    const ran: VuState = vu;
    const p: Promise<void> = s.iterate(ran, delay, next.value.index).then(() => {
      inFlight.delete(p);
      if (!ran.interrupted) idle.push(ran);
    });
    inFlight.add(p);
  }
  await finish(s, control, (async () => { while (inFlight.size > 0) await Promise.all([...inFlight]); })(), endAt);
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
