import type { Share } from './types.js';

/** The global indices among 0..n-1 that `share` owns, ascending. Allocates one array of the share's size. */
export function ownedIndexes(share: Share, n: number): number[] {
  const count = share.count(n);
  const out = new Array<number>(count);
  for (let j = 0; j < count; j++) out[j] = share.at(j);
  return out;
}
