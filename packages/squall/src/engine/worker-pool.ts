import { Worker } from 'node:worker_threads';
import { ScriptLoadError, SquallError } from '../errors.js';
import type { MetricDef } from '../metrics/types.js';
import type { FromWorker, ToWorker, WorkerInit } from './messages.js';
import type { InterruptCause } from './stop-control.js';
import { workerResourceLimits } from './worker-heap.js';

type SnapshotReply = Extract<FromWorker, { type: 'snapshot' }>;

const workerUrl = new URL('./worker-main.js', import.meta.url);

/** How long a snapshot round waits for a worker whose event loop does not turn (its reply, if any, joins a later round). */
const SNAPSHOT_WAIT_MS = 1000;

/** VUs of one scenario that were in an iteration in a worker ended by `terminateUnfinished`. */
export interface StuckVUs {
  readonly scenario: string;
  readonly vus: number;
}

interface WorkerSlot {
  readonly worker: Worker;
  readonly index: number;
  /** Active VUs per scenario (options.scenarios order), written by the worker itself: readable while it is stuck. */
  readonly activeVUs: Int32Array;
  done: boolean;
  /** Ended by the pool (terminate): its exit is expected. */
  ended: boolean;
  /** Missed the last closed snapshot round: its event loop did not turn for SNAPSHOT_WAIT_MS. */
  lagging: boolean;
}

/** The main thread's handle on its worker threads: start, snapshot rounds, stop. */
export class WorkerPool {
  readonly #slots: WorkerSlot[] = [];
  readonly #pending = new Map<number, { replies: SnapshotReply[]; from: Set<WorkerSlot>; resolve: () => void; timer: NodeJS.Timeout | undefined }>();
  /** Replies that came after their round was closed: handed out with the next round. */
  #late: SnapshotReply[] = [];
  #seq = 0;
  #failed: Error | undefined;
  #onDone: () => void = () => {};
  #onFailure: (err: Error) => void = () => {};
  readonly allDone: Promise<void>;

  constructor(
    readonly inits: readonly WorkerInit[],
    readonly onAbort: (message: string) => void,
  ) {
    this.allDone = new Promise<void>((resolve, reject) => {
      this.#onDone = resolve;
      this.#onFailure = reject;
    });
    this.allDone.catch(() => {});
  }

  /** Starts the workers and waits until each has imported the script; returns custom metric definitions. */
  async load(): Promise<MetricDef[]> {
    const defs: MetricDef[] = [];
    await Promise.all(this.inits.map((init) => this.#startOne(init, defs)));
    return defs;
  }

  #startOne(init: WorkerInit, defs: MetricDef[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const activeVUs = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, init.options.scenarios.length)));
      const worker = new Worker(workerUrl, { workerData: { ...init, activeVUs }, resourceLimits: workerResourceLimits() });
      const slot: WorkerSlot = { worker, index: init.workerIndex, activeVUs, done: false, ended: false, lagging: false };
      this.#slots.push(slot);
      let ready = false;
      let initFailed = false;
      const fail = (wrapped: Error) => {
        this.#failed ??= wrapped;
        reject(wrapped);
        this.#onFailure(wrapped);
      };
      worker.on('error', (err) => fail(new SquallError('SQUALL_SCRIPT_EXCEPTION', `worker ${init.workerIndex} failed: ${err.message}`, { cause: err })));
      worker.on('exit', (code) => {
        if (slot.ended) return;
        slot.ended = true;
        if (initFailed) return;
        if (!ready) {
          fail(
            new ScriptLoadError(
              code === 0 ? 'init code did not finish in a worker: a top-level await never settled' : `init code ended its worker thread (exit code ${code})`,
              init.sourcePath,
            ),
          );
        } else if (!slot.done) fail(new SquallError('SQUALL_SCRIPT_EXCEPTION', `worker ${init.workerIndex} ended before its VUs finished (exit code ${code})`));
        this.#closeRounds();
      });
      worker.on('message', (msg: FromWorker) => {
        switch (msg.type) {
          case 'ready':
            ready = true;
            defs.push(...msg.defs);
            resolve();
            break;
          case 'init-error':
            initFailed = true;
            reject(new ScriptLoadError(msg.message, msg.location));
            break;
          case 'snapshot':
            this.#onSnapshot(msg, slot);
            break;
          case 'abort':
            this.onAbort(msg.message);
            break;
          case 'done':
            this.#markDone(slot);
            break;
        }
      });
    });
  }

  #markDone(slot: WorkerSlot): void {
    slot.done = true;
    if (this.#slots.every((s) => s.done)) this.#onDone();
  }

  /** Workers still running (not ended by the pool or by themselves). */
  #live(): WorkerSlot[] {
    return this.#slots.filter((s) => !s.ended);
  }

  #send(msg: ToWorker): void {
    for (const s of this.#live()) s.worker.postMessage(msg);
  }

  /** Tells every worker to start at the shared epoch time. */
  start(startAtEpochMs: number, setupData: unknown): void {
    this.#send({ type: 'start', startAtEpochMs, setupData });
  }

  /**
   * Asks every worker for its metrics since the previous round. While VUs run, a worker that does
   * not answer within SNAPSHOT_WAIT_MS (a VU that never yields) is left out; its answer joins a
   * later round. Once every worker is done, the round waits for all of them.
   */
  snapshot(): Promise<SnapshotReply[]> {
    if (this.#failed) return Promise.reject(this.#failed);
    const seq = ++this.#seq;
    const late = this.#late;
    this.#late = [];
    return new Promise((resolve) => {
      const close = () => {
        clearTimeout(round.timer);
        this.#pending.delete(seq);
        for (const s of this.#live()) if (!round.from.has(s)) s.lagging = true;
        resolve([...late, ...round.replies]);
      };
      // Workers that are all done answer at once: the last rounds wait for every reply, so no late one is dropped.
      const waitAll = this.#live().every((s) => s.done);
      const round = { replies: [] as SnapshotReply[], from: new Set<WorkerSlot>(), resolve: close, timer: waitAll ? undefined : setTimeout(close, SNAPSHOT_WAIT_MS) };
      this.#pending.set(seq, round);
      this.#send({ type: 'snapshot', seq });
      this.#closeRounds();
    });
  }

  #onSnapshot(msg: SnapshotReply, slot: WorkerSlot): void {
    slot.lagging = false;
    const round = this.#pending.get(msg.seq);
    // A late reply still carries metrics nobody else has; its progress is stale.
    if (!round) this.#late.push({ ...msg, progress: [] });
    else {
      round.replies.push(msg);
      round.from.add(slot);
    }
    this.#closeRounds();
  }

  /** Resolves the rounds every live worker has answered. */
  #closeRounds(): void {
    const live = this.#live().length;
    for (const round of [...this.#pending.values()]) if (round.replies.length >= live) round.resolve();
  }

  /** Graceful (finish iterations within gracefulStop) or hard (abandon them) stop; `cause` tags the iterations it cuts off. */
  stop(hard: boolean, cause?: InterruptCause): void {
    this.#send({ type: 'stop', hard, cause });
  }

  /**
   * Ends the workers that have not finished and missed the last snapshot round (their VUs never
   * yield to the event loop, so no stop message reaches them); returns how many, and the VUs that
   * were in an iteration there, by scenario (`scenarios`: the names in options order).
   */
  async terminateUnfinished(scenarios: readonly string[]): Promise<{ workers: number; vus: StuckVUs[] }> {
    const stuck = this.#slots.filter((s) => !s.done && !s.ended && s.lagging);
    const counts = new Map<string, number>();
    for (const s of stuck) {
      s.ended = true;
      scenarios.forEach((name, i) => {
        const n = Atomics.load(s.activeVUs, i);
        if (n > 0) counts.set(name, (counts.get(name) ?? 0) + n);
      });
    }
    await Promise.all(stuck.map((s) => s.worker.terminate()));
    for (const s of stuck) this.#markDone(s);
    this.#closeRounds();
    return { workers: stuck.length, vus: [...counts].map(([scenario, vus]) => ({ scenario, vus })) };
  }

  /** Ends the threads (abandoned iterations included). */
  async terminate(): Promise<void> {
    for (const s of this.#slots) s.ended = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}
