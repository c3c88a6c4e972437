/**
 * Arrival times of an open-model scenario: the rate r(t) (iterations per timeUnit) is piecewise
 * linear, N(t) is its integral, and global iteration k is due at the t where N(t) = k (the end of a
 * zero-rate stretch where N stays at k), for every such t before the scenario's end. Shared by
 * constant-arrival-rate (one flat piece) and ramping-arrival-rate so they agree bit for bit.
 */
import type { Stage } from '../config/types.js';

/** One stretch of the rate curve with positive length. */
interface Piece {
  readonly startMs: number;
  readonly endMs: number;
  /** N at startMs (iterations due before this piece). */
  readonly startN: number;
  readonly startRate: number;
  readonly endRate: number;
}

/** Global arrival schedule of one scenario (all instances); built once per plan. */
export interface ArrivalSchedule {
  readonly durationMs: number;
  /** How many global iterations are due before durationMs. */
  readonly totalIterations: number;
  /** A reader of due times for ascending k; O(1) memory, amortised O(1) per call. */
  cursor(): (k: number) => number;
}

/** Ms offset of iteration k inside `p`, or NaN when it is not due inside `p`. */
function solve(p: Piece, k: number, timeUnitMs: number): number {
  const due = Math.max(0, k - p.startN);
  const lengthMs = p.endMs - p.startMs;
  let x: number;
  if (p.startRate === p.endRate) {
    if (p.startRate === 0) return Number.NaN;
    // The flat form k*T/r (startN = 0 on the first piece) is what constant-arrival-rate promises.
    x = (due * timeUnitMs) / p.startRate;
  } else {
    // N(start + x) - startN = a*x + b*x^2/2; solving for `due` in the cancellation-free form
    // x = 2*due / (a + sqrt(a^2 + 2*b*due)), valid for ramps up (b > 0) and down (b < 0, a > 0).
    const a = p.startRate / timeUnitMs;
    const b = (p.endRate - p.startRate) / (timeUnitMs * lengthMs);
    const disc = a * a + 2 * b * due;
    if (disc < 0) return Number.NaN;
    const denom = a + Math.sqrt(disc);
    x = denom === 0 ? 0 : (2 * due) / denom;
  }
  const t = p.startMs + x;
  return t < p.endMs ? t : Number.NaN;
}

/** Splits stages into pieces, dropping zero-length ones and merging neighbours at the same flat rate. */
function piecesOf(startRate: number, timeUnitMs: number, stages: readonly Stage[]): { pieces: Piece[]; durationMs: number } {
  const pieces: Piece[] = [];
  let startMs = 0;
  let startN = 0;
  let rate = startRate;
  for (const stage of stages) {
    const endMs = startMs + stage.durationMs;
    if (stage.durationMs > 0) {
      const last = pieces[pieces.length - 1];
      if (last && last.startRate === last.endRate && last.endRate === rate && rate === stage.target) {
        pieces[pieces.length - 1] = { ...last, endMs };
      } else {
        pieces.push({ startMs, endMs, startN, startRate: rate, endRate: stage.target });
      }
      startN += (stage.durationMs * (rate + stage.target)) / (2 * timeUnitMs);
    }
    rate = stage.target;
    startMs = endMs;
  }
  return { pieces, durationMs: startMs };
}

/**
 * Builds the schedule for a rate starting at `startRate` and moving linearly to each stage's
 * target over its duration (a flat rate is one stage whose target equals `startRate`).
 */
export function arrivalSchedule(startRate: number, timeUnitMs: number, stages: readonly Stage[]): ArrivalSchedule {
  const { pieces, durationMs } = piecesOf(startRate, timeUnitMs, stages);
  const cursor = (): ((k: number) => number) => {
    let i = 0;
    return (k) => {
      for (; i < pieces.length; i++) {
        const t = solve(pieces[i] as Piece, k, timeUnitMs);
        if (!Number.isNaN(t)) return t;
      }
      return Number.POSITIVE_INFINITY;
    };
  };
  const timeOf = (k: number): number => cursor()(k);
  const last = pieces[pieces.length - 1];
  const totalN = last ? last.startN + ((last.endMs - last.startMs) * (last.startRate + last.endRate)) / (2 * timeUnitMs) : 0;
  // ceil(N(end)) up to rounding; settle the edge with the same solver the iterator uses.
  let total = Math.max(0, Math.ceil(totalN));
  while (total > 0 && !(timeOf(total - 1) < durationMs)) total--;
  while (timeOf(total) < durationMs) total++;
  return { durationMs, totalIterations: total, cursor };
}
