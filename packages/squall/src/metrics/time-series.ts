import { SquallError } from '../errors.js';
import { mergePoints } from './time-series-point.js';
import type { TimeSeriesPoint } from './time-series-point.js';
import type { TrendStat } from './trend-stats.js';

/** Default bound on stored points: one hour at 1 s before the resolution first doubles. */
export const DEFAULT_MAX_INTERVALS = 3600;
/** Extra pair merges per appended point while a halving pass is under way. */
const MERGES_PER_PUSH = 2;

/**
 * Bounded time series of points for a whole run. When more than `maxIntervals` points are held,
 * the resolution doubles (1 s -> 2 s -> 4 s ...): adjacent points of equal span merge pairwise,
 * exactly, so every point spans a power-of-two number of base intervals. The halving pass is spread
 * over the following pushes (a few pair merges each) instead of one long pause of the main thread;
 * the bound itself holds after every push. Lives for one run.
 */
export class TimeSeriesStore {
  private readonly points: TimeSeriesPoint[] = [];
  /** Points merge up to 2^level base intervals. */
  private level = 0;
  /** Next pair of a halving pass in progress; -1 when none is. */
  private cursor = -1;
  private mergedInPass = 0;

  constructor(
    private readonly maxIntervals: number = DEFAULT_MAX_INTERVALS,
    private readonly trendStats?: readonly TrendStat[],
  ) {
    if (!Number.isInteger(maxIntervals) || maxIntervals < 2) {
      throw new SquallError(
        'SQUALL_CONFIG_INVALID',
        `maxIntervals must be an integer of at least 2, but is ${maxIntervals}`,
      );
    }
  }

  /** Appends a closed interval's point (points arrive in time order). */
  push(point: TimeSeriesPoint): void {
    this.points.push(point);
    // Binary-counter carry at the tail: new points join up to the current resolution.
    for (;;) {
      const n = this.points.length;
      if (n < 2 || !this.mergeable(n - 2)) break;
      this.mergeAt(n - 2);
    }
    if (this.cursor >= 0) {
      for (let i = 0; i < MERGES_PER_PUSH; i++) this.mergeNextPair();
    }
    while (this.points.length > this.maxIntervals) {
      if (this.cursor < 0) {
        this.level++;
        this.cursor = 0;
        this.mergedInPass = 0;
      }
      if (!this.mergeNextPair() && this.cursor < 0 && this.mergedInPass === 0 && this.points.length > this.maxIntervals) {
        // Only reachable with a tiny bound: no two neighbours share a span, so merge the two newest.
        this.mergeAt(this.points.length - 2);
      }
    }
  }

  private mergeable(index: number): boolean {
    const a = this.points[index];
    const b = this.points[index + 1];
    return a !== undefined && b !== undefined && a.intervals === b.intervals && a.intervals * 2 <= 2 ** this.level;
  }

  private mergeAt(index: number): void {
    const a = this.points[index] as TimeSeriesPoint;
    const b = this.points[index + 1] as TimeSeriesPoint;
    this.points.splice(index, 2, mergePoints([a, b], this.trendStats));
  }

  /** Merges the next mergeable pair of the pass; false (and the pass ends) at the tail. */
  private mergeNextPair(): boolean {
    if (this.cursor < 0) return false;
    while (this.cursor + 1 < this.points.length) {
      if (this.mergeable(this.cursor)) {
        this.mergeAt(this.cursor);
        this.cursor++;
        this.mergedInPass++;
        return true;
      }
      this.cursor++;
    }
    this.cursor = -1;
    return false;
  }

  /** Points held, oldest first (a copy of the list; the points themselves are shared, treat as read-only). */
  toArray(): TimeSeriesPoint[] {
    return [...this.points];
  }

  /** Number of points held (always <= maxIntervals). */
  get size(): number {
    return this.points.length;
  }

  /** Base intervals per point for points appended now (1, 2, 4, ...). */
  get resolution(): number {
    return 2 ** this.level;
  }
}
