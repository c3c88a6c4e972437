/** The `k6` module (check, group, sleep, fail, randomSeed) and k6/execution, over squall's script API. */
import { check, exec, fail, group, sleep } from '../api/script-api.js';
import { vuContextStorage } from '../runtime/vu-context.js';
import { currentInstance } from './host.js';

/** A seeded PRNG (mulberry32) for `randomSeed`: the VU's Math.random becomes repeatable. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const k6Module = {
  check,
  group,
  sleep,
  fail,
  randomSeed(seed: number): void {
    if (!Number.isFinite(Number(seed))) throw new TypeError(`randomSeed() needs a number, but got ${String(seed)}`);
    currentInstance().random = seeded(Number(seed));
  },
};

/** k6/execution: squall's `exec` plus the fields k6 scripts read that squall names otherwise. */
export const executionModule = {
  get vu() {
    const vu = exec.vu;
    return { ...vu, metrics: { tags: vu.tags, metadata: {} } };
  },
  get scenario() {
    const s = exec.scenario;
    const vu = vuContextStorage.getStore()?.vu;
    return { ...s, iterationInTest: vu?.iterationInScenario ?? 0 };
  },
  get instance() {
    return exec.instance;
  },
  test: exec.test,
};
