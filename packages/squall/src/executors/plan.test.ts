import { describe, expect, it } from 'vitest';
import type { ResolvedScenario, ScenarioCommon } from '../config/types.js';
import { maxVUsOf, planScenario, scenarioDurationMs } from './plan.js';
import { createShare, parseSegmentSequence } from './segment.js';
import type { ExecutorPlan, Share } from './types.js';

const common: ScenarioCommon = { name: 's', startTimeMs: 0, gracefulStopMs: 30_000, exec: 'default', env: {}, tags: {} };
const whole = createShare(parseSegmentSequence('0,1'), { from: { num: 0, den: 1 }, to: { num: 1, den: 1 } }, 0, 1);

/** Every worker's share when `sequence`'s instances each run `workers` workers. */
function sharesOf(sequence: string, workers: number): Share[] {
  const seq = parseSegmentSequence(sequence);
  const shares: Share[] = [];
  for (let i = 0; i + 1 < seq.length; i++) {
    for (let w = 0; w < workers; w++) shares.push(createShare(seq, { from: seq[i]!, to: seq[i + 1]! }, w, workers));
  }
  return shares;
}

const SPLITS: [string, number][] = [
  ['0,1', 1],
  ['0,1', 2],
  ['0,1', 3],
  ['0,1', 4],
  ['0,1/3,2/3,1', 1],
  ['0,1/3,2/3,1', 2],
  ['0,1/4,1/2,1', 3],
  ['0,1/10,1', 4],
];

function arrivalsOf(plan: ExecutorPlan, limit = 1e6): { atMs: number; index: number }[] {
  if (plan.kind !== 'arrival-rate') throw new Error(`not an arrival-rate plan: ${plan.kind}`);
  const out: { atMs: number; index: number }[] = [];
  const it = plan.arrivals();
  for (let r = it.next(); !r.done && out.length < limit; r = it.next()) out.push(r.value);
  return out;
}

function expectPartition(parts: readonly (readonly number[])[], n: number): void {
  const all = parts.flat().sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
}

describe('shared-iterations', () => {
  const scenario = (vus: number, iterations: number): ResolvedScenario => ({ ...common, executor: 'shared-iterations', vus, iterations, maxDurationMs: 600_000 });

  it.each(SPLITS.flatMap(([seq, w]) => [[seq, w, 1, 1], [seq, w, 3, 10], [seq, w, 7, 7], [seq, w, 5, 1003]] as const))(
    '%s x %i workers, %i VUs, %i iterations: VUs and iterations partition exactly',
    (seq, workers, vus, iterations) => {
      const plans = sharesOf(seq, workers).map((s) => planScenario(scenario(vus, iterations), s));
      expectPartition(plans.map((p) => (p.kind === 'shared-iterations' ? p.vuIndexes : [])), vus);
      const counts = plans.map((p) => (p.kind === 'shared-iterations' ? p.iterations : Number.NaN));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(iterations);
      plans.forEach((p, i) => {
        if (p.kind !== 'shared-iterations') throw new Error(p.kind);
        // A worker's iterations are exactly those k < iterations with k mod vus among its VUs.
        const expected = Array.from({ length: iterations }, (_, k) => k % vus).filter((v) => p.vuIndexes.includes(v)).length;
        expect(counts[i]).toBe(expected);
      });
    },
  );

  it('gives no iterations to a worker without VUs', () => {
    const plans = sharesOf('0,1', 4).map((s) => planScenario(scenario(2, 10), s));
    expect(plans.map((p) => (p.kind === 'shared-iterations' ? [p.vuIndexes.length, p.iterations] : []))).toEqual([
      [1, 5],
      [1, 5],
      [0, 0],
      [0, 0],
    ]);
  });
});

describe('per-vu-iterations and constant-vus', () => {
  it.each(SPLITS)('%s x %i workers partition the VUs', (seq, workers) => {
    const shares = sharesOf(seq, workers);
    const perVu = shares.map((s) => planScenario({ ...common, executor: 'per-vu-iterations', vus: 11, iterations: 3, maxDurationMs: 1000 }, s));
    const constant = shares.map((s) => planScenario({ ...common, executor: 'constant-vus', vus: 11, durationMs: 5000 }, s));
    expectPartition(perVu.map((p) => (p.kind === 'per-vu-iterations' ? p.vuIndexes : [])), 11);
    expectPartition(constant.map((p) => (p.kind === 'constant-vus' ? p.vuIndexes : [])), 11);
    expect(perVu.every((p) => p.kind === 'per-vu-iterations' && p.iterationsPerVu === 3 && p.maxDurationMs === 1000)).toBe(true);
    expect(constant.every((p) => p.kind === 'constant-vus' && p.durationMs === 5000)).toBe(true);
  });
});

describe('ramping-vus', () => {
  const ramp = (startVUs: number, stages: [number, number][]): ResolvedScenario => ({
    ...common,
    executor: 'ramping-vus',
    startVUs,
    stages: stages.map(([durationMs, target]) => ({ durationMs, target })),
    gracefulRampDownMs: 30_000,
  });

  it.each([
    ['0 -> 10 over 10s', ramp(0, [[10_000, 10]]), Array.from({ length: 11 }, (_, i) => [i * 1000, i])],
    ['hold then down', ramp(2, [[5000, 2], [2000, 0]]), [[0, 2], [6000, 1], [7000, 0]]],
    ['instant jump', ramp(1, [[0, 5], [1000, 5]]), [[0, 5]]],
    ['jump up and back in one instant', ramp(1, [[1000, 1], [0, 4], [0, 1], [1000, 3]]), [[0, 1], [1500, 2], [2000, 3]]],
    ['up 0 -> 4 over 1s, down to 2 over 1s', ramp(0, [[1000, 4], [1000, 2]]), [[0, 0], [250, 1], [500, 2], [750, 3], [1000, 4], [1500, 3], [2000, 2]]],
  ])('%s', (_name, scenario, steps) => {
    const plan = planScenario(scenario, whole);
    if (plan.kind !== 'ramping-vus') throw new Error(plan.kind);
    expect(plan.steps.map((s) => [s.atMs, s.vus])).toEqual(steps);
  });

  it.each(SPLITS)('%s x %i workers: worker counts sum to the global count at every step', (seq, workers) => {
    const scenario = ramp(3, [[1000, 13], [500, 13], [2000, 0], [0, 6], [700, 1]]);
    const global = planScenario(scenario, whole);
    const plans = sharesOf(seq, workers).map((s) => planScenario(scenario, s));
    if (global.kind !== 'ramping-vus') throw new Error(global.kind);
    expectPartition(plans.map((p) => (p.kind === 'ramping-vus' ? p.vuIndexes : [])), 13);
    const countAt = (p: ExecutorPlan, t: number): number => {
      if (p.kind !== 'ramping-vus') throw new Error(p.kind);
      return p.steps.filter((s) => s.atMs <= t).at(-1)?.vus ?? Number.NaN;
    };
    const times = new Set(plans.flatMap((p) => (p.kind === 'ramping-vus' ? p.steps.map((s) => s.atMs) : [])));
    for (const t of times) {
      expect(plans.reduce((sum, p) => sum + countAt(p, t), 0)).toBe(countAt(global, t));
    }
    for (const p of plans) {
      if (p.kind !== 'ramping-vus') throw new Error(p.kind);
      expect(p.steps[0]?.atMs).toBe(0);
      p.steps.slice(1).forEach((s, i) => {
        expect(s.atMs).toBeGreaterThan(p.steps[i]!.atMs);
        expect(s.vus).not.toBe(p.steps[i]!.vus);
      });
      expect(p.durationMs).toBe(4200);
    }
  });
});

describe('arrival-rate executors', () => {
  const constant = (rate: number, timeUnitMs: number, durationMs: number): ResolvedScenario => ({
    ...common,
    executor: 'constant-arrival-rate',
    rate,
    timeUnitMs,
    durationMs,
    preAllocatedVUs: 5,
    maxVUs: 9,
  });
  const ramping = (startRate: number, stages: [number, number][], timeUnitMs = 1000): ResolvedScenario => ({
    ...common,
    executor: 'ramping-arrival-rate',
    startRate,
    timeUnitMs,
    stages: stages.map(([durationMs, target]) => ({ durationMs, target })),
    preAllocatedVUs: 5,
    maxVUs: 9,
  });

  it('constant 10/s for 1s: 10 arrivals at 0, 100, ..., 900 ms', () => {
    const plan = planScenario(constant(10, 1000, 1000), whole);
    expect(arrivalsOf(plan)).toEqual(Array.from({ length: 10 }, (_, k) => ({ atMs: k * 100, index: k })));
    expect(plan.kind === 'arrival-rate' && plan.totalIterations).toBe(10);
  });

  it.each([
    [3, 1000, 1000, 3],
    [3, 1000, 1001, 4],
    [7, 60_000, 30_000, 4],
    [1, 1000, 999, 1],
    [50, 100, 2000, 1000],
  ])('constant rate %i per %i ms for %i ms has %i iterations', (rate, unit, duration, total) => {
    const plan = planScenario(constant(rate, unit, duration), whole);
    const arrivals = arrivalsOf(plan);
    expect(plan.kind === 'arrival-rate' && plan.totalIterations).toBe(total);
    expect(arrivals.map((a) => a.atMs)).toEqual(Array.from({ length: total }, (_, k) => (k * unit) / rate));
  });

  it.each([
    ['0 -> 10/s over 1s', ramping(0, [[1000, 10]]), [0, 447.2136, 632.4555, 774.5967, 894.4272]],
    ['zero stretch, then up', ramping(0, [[10_000, 0], [1000, 10]]), [10_000, 10_447.2136, 10_632.4555, 10_774.5967, 10_894.4272]],
    ['10 -> 0/s over 1s', ramping(10, [[1000, 0]]), [0, 105.5728, 225.4033, 367.5445, 552.7864]],
    ['2/s then zero', ramping(2, [[1000, 2], [1000, 0], [5000, 0]]), [0, 500, 1000]],
    ['jump to 4/s', ramping(0, [[0, 4], [1000, 4]]), [0, 250, 500, 750]],
  ])('%s', (_name, scenario, times) => {
    const plan = planScenario(scenario, whole);
    const arrivals = arrivalsOf(plan);
    expect(arrivals.map((a) => a.index)).toEqual(times.map((_, k) => k));
    arrivals.forEach((a, k) => expect(a.atMs).toBeCloseTo(times[k]!, 3));
    expect(plan.kind === 'arrival-rate' && plan.totalIterations).toBe(times.length);
  });

  it.each([
    [10, 1000, [[1000, 10]]],
    [7, 1000, [[300, 7], [0, 7], [1234, 7]]],
    [3, 60_000, [[45_000, 3], [45_000, 3]]],
    [13, 333, [[10_000, 13]]],
  ] as const)('ramping with every target = %i per %i ms matches constant exactly', (rate, unit, stages) => {
    const durationMs = stages.reduce((s, [d]) => s + d, 0);
    const fromConstant = arrivalsOf(planScenario(constant(rate, unit, durationMs), whole));
    const fromRamping = arrivalsOf(planScenario(ramping(rate, stages.map(([d, t]) => [d, t]), unit), whole));
    expect(fromRamping).toEqual(fromConstant);
  });

  it.each(SPLITS)('%s x %i workers: arrivals and VUs partition the whole', (seq, workers) => {
    for (const scenario of [constant(31, 1000, 1000), ramping(5, [[700, 40], [300, 40], [1000, 0]])]) {
      const global = arrivalsOf(planScenario(scenario, whole));
      const plans = sharesOf(seq, workers).map((s) => planScenario(scenario, s));
      const perWorker = plans.map((p) => arrivalsOf(p));
      for (const arrivals of perWorker) {
        arrivals.forEach((a, i) => {
          expect(a).toEqual(global[a.index]);
          if (i > 0) expect(a.atMs).toBeGreaterThanOrEqual(arrivals[i - 1]!.atMs);
        });
      }
      expectPartition(perWorker.map((a) => a.map((x) => x.index)), global.length);
      expectPartition(plans.map((p) => (p.kind === 'arrival-rate' ? p.vuIndexes : [])), 9);
      expect(plans.reduce((s, p) => s + (p.kind === 'arrival-rate' ? p.preAllocated : 0), 0)).toBe(5);
      expect(plans.every((p) => p.kind === 'arrival-rate' && p.totalIterations === global.length)).toBe(true);
    }
  });

  it('stays lazy for huge schedules', () => {
    const plan = planScenario(constant(1_000_000, 1000, 3_600_000), whole);
    expect(plan.kind === 'arrival-rate' && plan.totalIterations).toBe(3_600_000_000);
    expect(arrivalsOf(plan, 3).map((a) => a.atMs)).toEqual([0, 0.001, 0.002]);
  });
});

describe('maxVUsOf and scenarioDurationMs', () => {
  it.each<[ResolvedScenario, number, number]>([
    [{ ...common, executor: 'shared-iterations', vus: 4, iterations: 10, maxDurationMs: 600_000 }, 4, 600_000],
    [{ ...common, executor: 'per-vu-iterations', vus: 2, iterations: 10, maxDurationMs: 1000 }, 2, 1000],
    [{ ...common, executor: 'constant-vus', vus: 7, durationMs: 5000 }, 7, 5000],
    [{ ...common, executor: 'ramping-vus', startVUs: 3, stages: [{ durationMs: 1000, target: 9 }, { durationMs: 500, target: 0 }], gracefulRampDownMs: 30_000 }, 9, 1500],
    [{ ...common, executor: 'ramping-vus', startVUs: 12, stages: [{ durationMs: 1000, target: 1 }], gracefulRampDownMs: 0 }, 12, 1000],
    [{ ...common, executor: 'constant-arrival-rate', rate: 5, timeUnitMs: 1000, durationMs: 60_000, preAllocatedVUs: 2, maxVUs: 20 }, 20, 60_000],
    [{ ...common, executor: 'ramping-arrival-rate', startRate: 0, timeUnitMs: 1000, stages: [{ durationMs: 2000, target: 5 }, { durationMs: 3000, target: 5 }], preAllocatedVUs: 2, maxVUs: 4 }, 4, 5000],
  ])('%#: %o', (scenario, vus, durationMs) => {
    expect(maxVUsOf(scenario)).toBe(vus);
    expect(scenarioDurationMs(scenario)).toBe(durationMs);
  });
});
