import type { Hdr } from '../../src/metrics/hdr.js';

/** Non-zero buckets as [signed lowest value, count]: a histogram's contents, whatever its array sizing or encoding. */
export function hdrContents(h: Hdr): [number, number][] {
  const out: [number, number][] = [];
  for (const [part, sign] of [[h.pos, 1], [h.neg, -1]] as const) {
    if (part === undefined) continue;
    for (let i = 0; i < part.countsArrayLength; i++) {
      const count = part.getCountAtIndex(i);
      if (count > 0) out.push([sign * part.valueFromIndex(i), count]);
    }
  }
  return out;
}
