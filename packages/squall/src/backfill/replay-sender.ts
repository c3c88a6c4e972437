import { setTimeout as sleep } from 'node:timers/promises';
import { SquallError } from '../errors.js';

/** Most times one batch is retried after 429/503 before the backfill gives up. */
const MAX_RETRIES = 30;

/**
 * Posts NDJSON batches to an ingest endpoint (the activity target's `/events/bulk`) at a set
 * rate: batch k is sent no earlier than `startMs + events before it / ratePerSec`. 429 and 503
 * are retried after `Retry-After` (the whole batch: ingest is idempotent on auditID); any other
 * non-2xx stops the backfill with the answer in the message.
 */
export class ReplaySender {
  readonly #url: string;
  readonly #ratePerSec: number;
  readonly #signal: AbortSignal | undefined;
  #startMs = 0;
  #sent = 0;

  constructor(url: string, ratePerSec: number, signal?: AbortSignal) {
    this.#url = url;
    this.#ratePerSec = ratePerSec;
    this.#signal = signal;
  }

  /** Sends one batch of `count` events (`body` is their NDJSON), waiting for its turn first. */
  async send(body: string, count: number): Promise<void> {
    if (this.#sent === 0) this.#startMs = performance.now();
    const dueMs = this.#startMs + (this.#sent / this.#ratePerSec) * 1000;
    const waitMs = dueMs - performance.now();
    if (waitMs > 0) await sleep(waitMs, undefined, { signal: this.#signal });
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(this.#url, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body, signal: this.#signal });
      } catch (err) {
        if (this.#signal?.aborted) throw err;
        throw new SquallError('SQUALL_IO', `replay: cannot POST to ${this.#url}: ${(err as Error).message}`, { cause: err });
      }
      const text = await res.text();
      if (res.ok) break;
      if ((res.status === 429 || res.status === 503) && attempt < MAX_RETRIES) {
        const retryS = Number(res.headers.get('retry-after') ?? '1');
        await sleep(Math.min(10_000, Math.max(100, (Number.isFinite(retryS) ? retryS : 1) * 1000)), undefined, { signal: this.#signal });
        continue;
      }
      throw new SquallError('SQUALL_IO', `replay: ${this.#url} answered ${res.status} to a batch of ${count} events${attempt > 0 ? ` after ${attempt} retries` : ''}: ${text.slice(0, 300).trim()}`);
    }
    this.#sent += count;
  }
}
