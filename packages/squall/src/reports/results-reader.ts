import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SquallError } from '../errors.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import { parseTimeSeriesLine } from '../metrics/time-series-read.js';

/** A threshold as meta.json records it (one per expression). */
export interface MetaThreshold {
  readonly key: string;
  readonly source: string;
  readonly ok: boolean;
  readonly actual: number | null;
  readonly noData?: boolean;
}

/** The parts of `meta.json` reports read; other fields are kept in `raw`. */
export interface RunMetaDoc {
  readonly script: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  readonly exitCode: number;
  readonly thresholds: readonly MetaThreshold[];
  readonly squallVersion: string;
  readonly gitRevision: string | null;
  readonly env: Readonly<Record<string, string>>;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A results directory read into memory: summary, meta and every time-series point. */
export interface RunResults {
  readonly dir: string;
  /** `summary.json` as written (the handleSummary shape). */
  readonly summary: SummaryDoc;
  readonly meta: RunMetaDoc;
  /** `timeseries.jsonl`, oldest first. */
  readonly points: readonly TimeSeriesPoint[];
}

/** The `summary.json` fields reports use. */
export interface SummaryDoc {
  readonly metrics: Readonly<Record<string, { type: string; contains: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>>;
  readonly root_group: GroupDoc;
  readonly state: { readonly testRunDurationMs: number; readonly requestsSentWindowMs?: number; readonly plannedIterations?: number };
}

/** A group of `root_group` with its checks. */
export interface GroupDoc {
  readonly name: string;
  readonly path: string;
  readonly groups: readonly GroupDoc[];
  readonly checks: readonly { name: string; path: string; passes: number; fails: number }[];
}

const FILES = ['summary.json', 'meta.json', 'timeseries.jsonl'] as const;

/** Reads the three files; names every missing one, in a fixed order, when `dir` is not a results dir. */
async function readFiles(dir: string): Promise<string[]> {
  const read = await Promise.allSettled(FILES.map((f) => readFile(join(dir, f), 'utf8')));
  const missing = FILES.filter((_, i) => {
    const r = read[i];
    return r?.status === 'rejected' && (r.reason as NodeJS.ErrnoException).code === 'ENOENT';
  });
  if (missing.length > 0) {
    throw new SquallError(
      'SQUALL_IO',
      `${dir} is not a results directory: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (expected ${FILES.join(', ')}, as written by \`squall run --results-dir\`)`,
    );
  }
  return read.map((r, i) => {
    if (r.status === 'fulfilled') return r.value;
    const cause = r.reason as Error;
    throw new SquallError('SQUALL_IO', `cannot read ${join(dir, FILES[i] as string)}: ${cause.message}`, { cause });
  });
}

function parseJson(text: string, where: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch (cause) {
    throw new SquallError('SQUALL_IO', `${where}: expected a JSON object, but the file is not JSON (truncated?)`, { cause });
  }
  throw new SquallError('SQUALL_IO', `${where}: expected a JSON object`);
}

/** Parses `timeseries.jsonl` text; `where` names the file in errors. */
export function parseTimeSeriesText(text: string, where: string): TimeSeriesPoint[] {
  const points: TimeSeriesPoint[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    points.push(parseTimeSeriesLine(line, `${where}:${i + 1}`));
  }
  return points;
}

/**
 * Reads a results directory (docs/results.md). Throws SquallError SQUALL_IO naming the missing or
 * malformed file when `dir` is not one.
 */
export async function readResults(dir: string): Promise<RunResults> {
  const [summaryText, metaText, seriesText] = await readFiles(dir);
  const summary = parseJson(summaryText as string, join(dir, 'summary.json'));
  if (typeof summary.metrics !== 'object' || summary.metrics === null) {
    throw new SquallError('SQUALL_IO', `${join(dir, 'summary.json')}: expected a "metrics" object (the handleSummary shape)`);
  }
  const metaRaw = parseJson(metaText as string, join(dir, 'meta.json'));
  const startedAt = typeof metaRaw.startedAt === 'string' ? metaRaw.startedAt : '';
  if (startedAt === '' || Number.isNaN(Date.parse(startedAt))) {
    throw new SquallError('SQUALL_IO', `${join(dir, 'meta.json')}: expected "startedAt" as an ISO date, but found ${JSON.stringify(metaRaw.startedAt)}`);
  }
  const meta: RunMetaDoc = {
    script: typeof metaRaw.script === 'string' ? metaRaw.script : 'unknown',
    startedAt,
    endedAt: typeof metaRaw.endedAt === 'string' ? metaRaw.endedAt : startedAt,
    durationMs: typeof metaRaw.durationMs === 'number' ? metaRaw.durationMs : 0,
    exitCode: typeof metaRaw.exitCode === 'number' ? metaRaw.exitCode : 0,
    thresholds: Array.isArray(metaRaw.thresholds) ? (metaRaw.thresholds as MetaThreshold[]) : [],
    squallVersion: typeof metaRaw.squallVersion === 'string' ? metaRaw.squallVersion : 'unknown',
    gitRevision: typeof metaRaw.gitRevision === 'string' ? metaRaw.gitRevision : null,
    env: typeof metaRaw.env === 'object' && metaRaw.env !== null ? (metaRaw.env as Record<string, string>) : {},
    raw: metaRaw,
  };
  const rootGroup = (summary.root_group ?? { name: '', path: '', groups: [], checks: [] }) as GroupDoc;
  const state = (summary.state ?? { testRunDurationMs: meta.durationMs }) as SummaryDoc['state'];
  return {
    dir,
    summary: { metrics: summary.metrics as SummaryDoc['metrics'], root_group: rootGroup, state },
    meta,
    points: parseTimeSeriesText(seriesText as string, join(dir, 'timeseries.jsonl')),
  };
}
