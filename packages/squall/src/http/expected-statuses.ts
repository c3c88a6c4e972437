import type { ExpectedStatuses } from '../config/types.js';

/**
 * A compiled `expectedStatuses` list: a lookup table over 0..999 so the per-request test is one
 * array read. Status 0 (no response) is never expected.
 */
export class StatusMatcher {
  readonly #table = new Uint8Array(1000);

  constructor(statuses: ExpectedStatuses, where: string) {
    for (const entry of statuses) {
      if (typeof entry === 'number') {
        checkStatus(entry, where);
        this.#table[entry] = 1;
      } else if (entry !== null && typeof entry === 'object' && typeof entry.min === 'number' && typeof entry.max === 'number') {
        checkStatus(entry.min, where);
        checkStatus(entry.max, where);
        for (let s = entry.min; s <= entry.max; s++) this.#table[s] = 1;
      } else {
        throw new TypeError(`${where}: each expected status must be a number or { min, max }, but one is ${JSON.stringify(entry)}`);
      }
    }
    this.#table[0] = 0;
  }

  /** Whether `status` counts as a success for `http_req_failed`. */
  expects(status: number): boolean {
    return this.#table[status] === 1;
  }
}

function checkStatus(status: number, where: string): void {
  if (!Number.isInteger(status) || status < 100 || status > 999) {
    throw new TypeError(`${where}: an expected status must be an integer from 100 to 999, but is ${status}`);
  }
}

const cache = new WeakMap<ExpectedStatuses, StatusMatcher>();

/** Matcher for a per-request list; compiled once per list object (scripts usually reuse one). */
export function matcherFor(statuses: ExpectedStatuses): StatusMatcher {
  let matcher = cache.get(statuses);
  if (matcher === undefined) {
    matcher = new StatusMatcher(statuses, 'params.expectedStatuses');
    cache.set(statuses, matcher);
  }
  return matcher;
}
