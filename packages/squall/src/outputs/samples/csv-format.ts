import type { Tags } from '../../metrics/types.js';
import type { SampleFormat } from './sample-output.js';

/** k6's CSV columns, in k6's order; tags without a column go into `extra_tags` as `k=v&k2=v2`. */
export const CSV_COLUMNS = [
  'metric_name',
  'timestamp',
  'metric_value',
  'check',
  'error',
  'error_code',
  'expected_response',
  'group',
  'method',
  'name',
  'proto',
  'scenario',
  'service',
  'status',
  'subproto',
  'tls_version',
  'url',
  'extra_tags',
] as const;

const TAG_COLUMNS = CSV_COLUMNS.slice(3, -1);
const TAG_COLUMN_SET = new Set<string>(TAG_COLUMNS);

/** k6's `K6_CSV_TIME_FORMAT` values squall supports for the timestamp column. */
export const CSV_TIME_FORMATS = ['unix', 'unix_milli', 'rfc3339'] as const;
export type CsvTimeFormat = (typeof CSV_TIME_FORMATS)[number];

function field(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function stamp(timeMs: number, format: CsvTimeFormat): string {
  if (format === 'unix_milli') return String(Math.round(timeMs));
  if (format === 'rfc3339') return new Date(timeMs).toISOString();
  return String(Math.floor(timeMs / 1000));
}

/** The CSV format with k6's columns; the timestamp as k6's default (`unix`: whole seconds) unless told. */
export function csvFormat(timeFormat: CsvTimeFormat = 'unix'): SampleFormat {
  const extraCache = new WeakMap<Tags, string>();
  const extra = (tags: Tags): string => {
    let text = extraCache.get(tags);
    if (text === undefined) {
      const pairs = Object.keys(tags)
        .filter((k) => !TAG_COLUMN_SET.has(k))
        .sort()
        .map((k) => `${k}=${tags[k]}`);
      text = field(pairs.join('&'));
      extraCache.set(tags, text);
    }
    return text;
  };
  return {
    name: 'csv',
    header: () => `${CSV_COLUMNS.join(',')}\n`,
    metric: () => '',
    sample(name, timeMs, value, tags) {
      let line = `${name},${stamp(timeMs, timeFormat)},${value}`;
      for (const col of TAG_COLUMNS) {
        const v = tags[col];
        line += v === undefined ? ',' : `,${field(v)}`;
      }
      return `${line},${extra(tags)}\n`;
    },
  };
}
