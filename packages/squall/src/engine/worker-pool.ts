import { Worker } from 'node:worker_threads';
import { ScriptLoadError, SquallError } from '../errors.js';
import type { MetricDef } from '../metrics/types.js';
import type { FromWorker, ToWorker, WorkerInit } from './messages.js';
import type { InterruptCause } from './stop-control.js';
import { workerResourceLimits } from './worker-heap.js';

type SnapshotReply = Extract<FromWorker, { type: 'snapshot' }>;

const workerUrl = new URL('./worker-main.js', import.meta.url);

/** The main thread's handle on its worker threads: start, snapshot rounds, stop. */
export class WorkerPool {
  readonly #workers: Worker[] = [];
  readonly #pending = new Map<number, { replies: SnapshotReply[]; resolve: (r: SnapshotReply[]) => void }>();
  #seq = 0;
  #done = 0;
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
    await Promise.all(
      this.inits.map(
        (init) =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(workerUrl, { workerData: init, resourceLimits: workerResourceLimits() });
            this.#workers.push(worker);
            worker.on('error', (err) => {
              const wrapped = new SquallError('SQUALL_SCRIPT_EXCEPTION', `worker ${init.workerIndex} failed: ${err.message}`, { cause: err });
              this.#failed = wrapped;
              reject(wrapped);
              this.#onFailure(wrapped);
            });
            worker.on('message', (msg: FromWorker) => {
              switch (msg.type) {
                case 'ready':
                  defs.push(...msg.defs);
                  resolve();
                  break;
                case 'init-error':
                  reject(new ScriptLoadError(msg.message, msg.location));
                  break;
                case 'snapshot':
                  this.#onSnapshot(msg);
                  break;
                case 'abort':
                  this.onAbort(msg.message);
                  break;
                case 'done':
                  if (++this.#done === this.#workers.length) this.#onDone();
                  break;
              }
            });
          }),
      ),
    );
    return defs;
  }

  #send(msg: ToWorker): void {
    for (const w of this.#workers) w.postMessage(msg);
  }

  /** Tells every worker to start at the shared epoch time. */
  start(startAtEpochMs: number, setupData: unknown): void {
    this.#send({ type: 'start', startAtEpochMs, setupData });
  }

  /** Asks every worker for its metrics since the previous round. */
  snapshot(): Promise<SnapshotReply[]> {
    if (this.#failed) return Promise.reject(this.#failed);
    const seq = ++this.#seq;
    return new Promise((resolve) => {
      this.#pending.set(seq, { replies: [], resolve });
      this.#send({ type: 'snapshot', seq });
    });
  }

  #onSnapshot(msg: SnapshotReply): void {
    const round = this.#pending.get(msg.seq);
    if (!round) return;
    round.replies.push(msg);
    if (round.replies.length === this.#workers.length) {
      this.#pending.delete(msg.seq);
      round.resolve(round.replies);
    }
  }

  /** Graceful (finish iterations within gracefulStop) or hard (abandon them) stop; `cause` tags the iterations it cuts off. */
  stop(hard: boolean, cause?: InterruptCause): void {
    this.#send({ type: 'stop', hard, cause });
  }

  /** Ends the threads (abandoned iterations included). */
  async terminate(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
