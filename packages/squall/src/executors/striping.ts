/**
 * Instance-level striping of a global index space among the segments of a sequence. Pure and
 * deterministic: every instance computes the same pattern alone, so together they cover each index
 * exactly once without talking to each other.
 */

/** Most indices in one striping period; past this the precomputed tables get too large. */
export const MAX_PERIOD = 1_000_000;
/** Most (period x segments): bounds the precomputation's time and keeps its integer math exact. */
export const MAX_PERIOD_WORK = 100_000_000;

/** Which indices of one period a segment owns, with prefix counts for O(1) lookups. */
export interface Stripe {
  /** Period length: the pattern of owners repeats every `period` indices. */
  readonly period: number;
  /** Offsets within a period owned by the segment, ascending (length = the segment's share of a period). */
  readonly owned: Uint32Array;
  /** `prefix[r]` = how many of the offsets 0..r-1 the segment owns (length period + 1). */
  readonly prefix: Uint32Array;
}

/** Owners per period, keyed by the sequence's period quotas; computing one is O(period x segments). */
const ownersCache = new Map<string, Uint32Array>();
const OWNERS_CACHE_LIMIT = 8;

/**
 * Striping by Tijdeman's rule for the chairman assignment problem, a largest-deficit rule with
 * release times: at step n = k + 1 a segment i is eligible when n*w_i - a_i >= d (d = 1/(2(S-1)),
 * S segments, w_i its width, a_i its count so far), and among eligible ones the earliest deadline
 * (a_i + 1 - d) / w_i wins, ties to the lowest i. Unlike the plain largest-deficit rule, which
 * drifts past one index with seven or more segments, this keeps every |a_i - n*w_i| <= 1 - d < 1,
 * so each period ends with every quota met exactly. All comparisons are exact integers (scaled by
 * the period, quota_i = w_i * period), so every instance derives the same pattern.
 */
export function stripeOwners(quotas: readonly number[], period: number): Uint32Array {
  const key = `${period}:${quotas.join(',')}`;
  const cached = ownersCache.get(key);
  if (cached) return cached;
  const segments = quotas.length;
  const m = 2 * Math.max(1, segments - 1);
  // n*q_i - a_i*period is an integer, so ">= period/m" is ">= ceil(period/m)".
  const release = Math.ceil(period / m);
  const owners = new Uint32Array(period);
  const assigned = new Float64Array(segments);
  for (let k = 0; k < period; k++) {
    const n = k + 1;
    let best = -1;
    let bestNum = 0;
    let bestQuota = 1;
    for (let i = 0; i < segments; i++) {
      const q = quotas[i] ?? 0;
      const a = assigned[i] ?? 0;
      if (n * q - a * period < release) continue;
      // Deadline (m*(a+1) - 1) / (m*q) compared by cross-multiplication; callers bound
      // segments * period so these products stay below 2^53.
      const num = m * (a + 1) - 1;
      if (best < 0 || num * bestQuota < bestNum * q) {
        best = i;
        bestNum = num;
        bestQuota = q;
      }
    }
    if (best < 0) throw new Error(`striping invariant broken: no segment eligible at index ${k}`);
    owners[k] = best;
    assigned[best] = (assigned[best] ?? 0) + 1;
  }
  quotas.forEach((q, i) => {
    if (assigned[i] !== q) throw new Error(`striping invariant broken: segment ${i} got ${assigned[i]} of ${q}`);
  });
  if (ownersCache.size >= OWNERS_CACHE_LIMIT) {
    const oldest = ownersCache.keys().next().value;
    if (oldest !== undefined) ownersCache.delete(oldest);
  }
  ownersCache.set(key, owners);
  return owners;
}

/** The stripe of segment `index` given the period's owners. */
export function stripeOf(owners: Uint32Array, index: number): Stripe {
  const period = owners.length;
  const prefix = new Uint32Array(period + 1);
  let count = 0;
  for (let k = 0; k < period; k++) {
    prefix[k] = count;
    if (owners[k] === index) count++;
  }
  prefix[period] = count;
  const owned = new Uint32Array(count);
  let j = 0;
  for (let k = 0; k < period; k++) if (owners[k] === index) owned[j++] = k;
  return { period, owned, prefix };
}
