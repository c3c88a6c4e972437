import { readFile } from 'node:fs/promises';
import { SquallError } from '../errors.js';
import { writeFileAtomic } from '../outputs/atomic-write.js';
import type { RunFigures } from '../reports/run-figures.js';

/** Default baselines file, meant to be committed. */
export const DEFAULT_BASELINES_FILE = 'perf/baselines.json';

/** A recorded baseline: a run's figures and when it was recorded. */
export interface Baseline {
  readonly updatedAt: string;
  readonly source: string;
  readonly figures: RunFigures;
}

/** The baselines file: `{ "version": 1, "baselines": { NAME: Baseline } }`. */
export interface BaselinesFile {
  readonly version: 1;
  readonly baselines: Readonly<Record<string, Baseline>>;
}

/** Reads the baselines file; a missing file is an empty one. */
export async function readBaselines(file: string): Promise<BaselinesFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, baselines: {} };
    throw new SquallError('SQUALL_IO', `cannot read baselines file ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    const doc = JSON.parse(text) as BaselinesFile;
    if (doc.version !== 1 || typeof doc.baselines !== 'object' || doc.baselines === null) throw new Error('shape');
    return doc;
  } catch (cause) {
    throw new SquallError('SQUALL_IO', `${file}: expected {"version": 1, "baselines": {...}} as written by \`squall baseline update\`, but the file is malformed`, { cause });
  }
}

/** The baseline called `name`, or undefined. */
export async function readBaseline(file: string, name: string): Promise<Baseline | undefined> {
  return (await readBaselines(file)).baselines[name];
}

/**
 * Records `figures` as the baseline `name` (default: the figures' test name), keeping the others.
 * The only writer of the baselines file: nothing updates a baseline implicitly.
 */
export async function updateBaseline(file: string, figures: RunFigures, source: string, name = figures.test, now = new Date()): Promise<Baseline> {
  const doc = await readBaselines(file);
  const baseline: Baseline = { updatedAt: now.toISOString(), source, figures };
  const next: BaselinesFile = { version: 1, baselines: { ...doc.baselines, [name]: baseline } };
  await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
  return baseline;
}
