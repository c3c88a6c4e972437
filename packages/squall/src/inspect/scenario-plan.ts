import type { ResolvedScenario } from '../config/types.js';
import { maxVUsOf, scenarioDurationMs } from '../executors/plan.js';
import { describeScenario } from '../plan-view/index.js';

/** One scenario as `squall inspect` shows it; times in ms from the test's start. */
export interface ScenarioPlanView {
  readonly name: string;
  readonly executor: string;
  readonly exec: string;
  readonly description: string;
  readonly startTimeMs: number;
  /** Run time without graceful stop (maxDuration for the iteration executors, which may end sooner). */
  readonly durationMs: number;
  readonly gracefulStopMs: number;
  readonly maxVUs: number;
  /** Iterations the executor is set to start; null where VUs loop as fast as they can. */
  readonly plannedIterations: number | null;
  /** Target VUs over time as [ms, VUs] corner points (for arrival-rate executors: the VU cap). */
  readonly vusOverTime: readonly (readonly [number, number])[];
  /** Arrival rate over time as [ms, iterations per second] corner points (arrival-rate executors only). */
  readonly rateOverTime?: readonly (readonly [number, number])[];
}

function corners(_start: number, startValue: number, stages: readonly { durationMs: number; target: number }[], offset: number, scale = 1): [number, number][] {
  const out: [number, number][] = [[offset, startValue * scale]];
  let t = offset;
  for (const st of stages) {
    t += st.durationMs;
    out.push([t, st.target * scale]);
  }
  return out;
}

/** The plan of one scenario: what it will do over time. */
export function scenarioPlan(s: ResolvedScenario): ScenarioPlanView {
  const start = s.startTimeMs;
  const dur = scenarioDurationMs(s);
  const base = {
    name: s.name,
    executor: s.executor,
    exec: s.exec,
    description: describeScenario(s),
    startTimeMs: start,
    durationMs: dur,
    gracefulStopMs: s.gracefulStopMs,
    maxVUs: maxVUsOf(s),
  };
  switch (s.executor) {
    case 'shared-iterations':
      return { ...base, plannedIterations: s.iterations, vusOverTime: [[start, s.vus], [start + dur, s.vus]] };
    case 'per-vu-iterations':
      return { ...base, plannedIterations: s.iterations * s.vus, vusOverTime: [[start, s.vus], [start + dur, s.vus]] };
    case 'constant-vus':
      return { ...base, plannedIterations: null, vusOverTime: [[start, s.vus], [start + dur, s.vus]] };
    case 'ramping-vus':
      return { ...base, plannedIterations: null, vusOverTime: corners(start, s.startVUs, s.stages, start) };
    case 'constant-arrival-rate': {
      const perSec = (s.rate * 1000) / s.timeUnitMs;
      return {
        ...base,
        plannedIterations: Math.floor((s.rate * s.durationMs) / s.timeUnitMs),
        vusOverTime: [[start, s.maxVUs], [start + dur, s.maxVUs]],
        rateOverTime: [[start, perSec], [start + dur, perSec]],
      };
    }
    case 'ramping-arrival-rate': {
      const rate = corners(start, s.startRate, s.stages, start, 1000 / s.timeUnitMs);
      let iters = 0;
      for (let i = 1; i < rate.length; i++) {
        const [t0, r0] = rate[i - 1] as [number, number];
        const [t1, r1] = rate[i] as [number, number];
        iters += ((r0 + r1) / 2) * ((t1 - t0) / 1000);
      }
      return { ...base, plannedIterations: Math.floor(iters + 1e-9), vusOverTime: [[start, s.maxVUs], [start + dur, s.maxVUs]], rateOverTime: rate };
    }
  }
}
