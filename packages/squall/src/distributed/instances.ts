/**
 * The execution-segment arithmetic of a distributed run: instance `i` of `n` runs the segment
 * `i/n:(i+1)/n` of the sequence `0,1/n,...,1`. The same function serves `squall run --instance`
 * (what a pod runs) and the manifests (what they tell each pod), so both agree by construction.
 */

/** One instance's share of the test, in squall's `--execution-segment` syntax. */
export interface InstanceSegment {
  readonly index: number;
  readonly count: number;
  readonly segment: string;
  readonly sequence: string;
}

/** The most instances one run may have (segments stay simple fractions). */
export const MAX_INSTANCES = 1000;

function fraction(k: number, n: number): string {
  if (k === 0) return '0';
  if (k === n) return '1';
  return `${k}/${n}`;
}

/** Instance `index` (0-based) of `count`. Throws RangeError when the numbers do not make one. */
export function instanceSegment(index: number, count: number): InstanceSegment {
  if (!Number.isInteger(count) || count < 1 || count > MAX_INSTANCES) throw new RangeError(`the instance count must be a whole number from 1 to ${MAX_INSTANCES}, but is ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`the instance index must be a whole number from 0 to ${count - 1}, but is ${index}`);
  const points = Array.from({ length: count + 1 }, (_, k) => fraction(k, count));
  return { index, count, segment: `${points[index]}:${points[index + 1]}`, sequence: points.join(',') };
}

/**
 * Parses `--instance I/N` (0-based index I of N instances), e.g. `2/10`. Throws RangeError with a
 * message naming what is wrong.
 */
export function parseInstance(text: string): InstanceSegment {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new RangeError(`expected INDEX/COUNT with a 0-based index, e.g. 0/3 for the first of three instances, but got "${text}"`);
  return instanceSegment(Number(m[1]), Number(m[2]));
}
