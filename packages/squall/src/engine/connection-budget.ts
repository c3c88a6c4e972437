import { readFileSync } from 'node:fs';

/** Descriptors kept free for everything that is not an HTTP connection (files, pipes, the runtime). */
export const RESERVED_FDS = 512;

/** The soft open-file limit of this process, from /proc (Linux); undefined where unknown. */
export function openFileLimit(procLimits = '/proc/self/limits'): number | undefined {
  try {
    const line = readFileSync(procLimits, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    if (soft === undefined || soft === 'unlimited') return undefined;
    const n = Number(soft);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The connection cap squall chose, and why (for the warning shown to the user). */
export interface ConnectionPlan {
  /** Most connections per origin per worker; undefined = one per VU (unbounded). */
  readonly perOriginPerWorker: number | undefined;
  readonly warning: string | undefined;
}

/**
 * Sizes the per-worker connection pools so that every VU can have its own connection when half the
 * open-file limit allows it (k6's model), and otherwise shares pools that fit in that half.
 */
export function planConnections(input: {
  readonly requested: number | undefined;
  readonly maxVus: number;
  readonly workers: number;
  readonly fdLimit: number | undefined;
}): ConnectionPlan {
  if (input.requested !== undefined) return { perOriginPerWorker: input.requested, warning: undefined };
  if (input.fdLimit === undefined) return { perOriginPerWorker: undefined, warning: undefined };
  // Half the limit: a target on the same host (common in tests) is usually under the same limit,
  // and every socket also costs memory. The user can always choose with --connections.
  const budget = Math.max(1, Math.floor((input.fdLimit / 2 - RESERVED_FDS) / input.workers));
  const vusPerWorker = Math.ceil(input.maxVus / input.workers);
  if (vusPerWorker <= budget) return { perOriginPerWorker: undefined, warning: undefined };
  return {
    perOriginPerWorker: budget,
    warning:
      `${input.maxVus} VUs need more connections than the open-file limit (${input.fdLimit}) allows: ` +
      `VUs share ${budget} connections per origin in each of ${input.workers} workers (time spent waiting for one shows in ` +
      `http_req_blocked and http_req_latency). Raise the limit (ulimit -n) or choose the pool size with --connections N.`,
  };
}
