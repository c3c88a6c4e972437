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

async function readText(dir: string, file: string): Promise<string> {
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (cause) {
    throw new SquallError('SQUALL_IO', `${dir} is not a squall results directory: cannot read ${file} (write one with \`squall run --results-dir DIR\`)`, { cause });
  }
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
  const [summaryText, metaText, seriesText] = await Promise.all([
    readText(dir, 'summary.json'),
    readText(dir, 'meta.json'),
    readText(dir, 'timeseries.jsonl'),
  ]);
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
