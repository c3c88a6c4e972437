import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedOptions } from '../config/types.js';
import { SquallError } from '../errors.js';
import type { SummaryData } from '../metrics/types.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import { parseTimeSeriesLine } from '../metrics/time-series-read.js';

/** What one results directory holds, parsed. */
export interface ResultsDir {
  readonly dir: string;
  readonly summary: SummaryData;
  readonly meta: { readonly options: ResolvedOptions; readonly startedAt: string; readonly script: string } & Record<string, unknown>;
  readonly points: readonly TimeSeriesPoint[];
}

const FILES = ['summary.json', 'meta.json', 'timeseries.jsonl'] as const;

/** Reads the three files, naming every one that cannot be read (in a fixed order). */
async function readFiles(dir: string): Promise<[string, string, string]> {
  const read = await Promise.allSettled(FILES.map((f) => readFile(join(dir, f), 'utf8')));
  const missing = FILES.filter((_, i) => read[i]?.status === 'rejected');
  if (missing.length > 0) {
    const first = read.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    throw new SquallError(
      'SQUALL_IO',
      `${dir} is not a squall results directory: cannot read ${missing.join(', ')} (write one with \`squall run --results-dir DIR\`)`,
      { cause: first.reason },
    );
  }
  return read.map((r) => (r as PromiseFulfilledResult<string>).value) as [string, string, string];
}

function parseJson<T>(text: string, where: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new SquallError('SQUALL_IO', `${where} is not valid JSON`, { cause });
  }
}

/** Reads summary.json, meta.json and timeseries.jsonl of a results directory. */
export async function readResultsDir(dir: string): Promise<ResultsDir> {
  const [summaryText, metaText, seriesText] = await readFiles(dir);
  const points = seriesText
    .split('\n')
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, i }) => parseTimeSeriesLine(line, `${join(dir, 'timeseries.jsonl')}:${i + 1}`));
  return {
    dir,
    summary: parseJson<SummaryData>(summaryText, join(dir, 'summary.json')),
    meta: parseJson<ResultsDir['meta']>(metaText, join(dir, 'meta.json')),
    points,
  };
}
