import { readFile } from 'node:fs/promises';
import { SquallError } from '../errors.js';
import { writeFileAtomic } from '../outputs/atomic-write.js';
import type { BackfillPlanOptions } from './day-plan.js';

/** On-disk resume state: the plan it belongs to and, per day age, events known to be delivered. */
interface CheckpointFile {
  readonly version: 1;
  readonly plan: BackfillPlanOptions;
  readonly delivered: Record<string, number>;
}

/**
 * A backfill's checkpoint: what each day has delivered (bulk: inserted; replay: answered 202).
 * Written atomically, so an interruption leaves the previous state or the new one.
 */
export class Checkpoint {
  readonly #file: string;
  readonly #plan: BackfillPlanOptions;
  readonly #delivered: Record<string, number>;

  private constructor(file: string, plan: BackfillPlanOptions, delivered: Record<string, number>) {
    this.#file = file;
    this.#plan = plan;
    this.#delivered = delivered;
  }

  /** Opens `file`, or starts a new one. A file for another plan is an error: resuming it would mix two histories. */
  static async open(file: string, plan: BackfillPlanOptions): Promise<Checkpoint> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Checkpoint(file, plan, {});
      throw new SquallError('SQUALL_IO', `cannot read the checkpoint ${file}: ${(err as Error).message}`, { cause: err });
    }
    let saved: CheckpointFile;
    try {
      saved = JSON.parse(text) as CheckpointFile;
    } catch (err) {
      throw new SquallError('SQUALL_USAGE', `the checkpoint ${file} is not valid JSON (${(err as Error).message}); delete it to start over`, { cause: err });
    }
    const keys = Object.keys(plan) as (keyof BackfillPlanOptions)[];
    const differ = keys.filter((k) => saved.plan?.[k] !== plan[k]);
    if (saved.version !== 1 || differ.length > 0) {
      const what = differ.map((k) => `${k} ${JSON.stringify(saved.plan?.[k])} -> ${JSON.stringify(plan[k])}`).join(', ');
      throw new SquallError('SQUALL_USAGE', `the checkpoint ${file} belongs to another backfill (${what || 'unknown version'}); run with the same options to resume, or give another --checkpoint file`);
    }
    return new Checkpoint(file, plan, { ...saved.delivered });
  }

  /** Events of day `age` known to be delivered. */
  delivered(age: number): number {
    return this.#delivered[String(age)] ?? 0;
  }

  /** Records progress of day `age` and writes the file. */
  async save(age: number, delivered: number): Promise<void> {
    this.#delivered[String(age)] = delivered;
    const body: CheckpointFile = { version: 1, plan: this.#plan, delivered: this.#delivered };
    await writeFileAtomic(this.#file, `${JSON.stringify(body, null, 2)}\n`);
  }
}
