/**
 * squall's own versions of the jslib.k6.io modules k6 scripts use most (k6-utils, k6-summary,
 * papaparse, uuid, url): bundled with squall, nothing is downloaded.
 */
import { randomInt, randomUUID } from 'node:crypto';
import Papa from 'papaparse';
import { textSummary as squallTextSummary } from '../api/text-summary.js';
import type { SummaryData } from '../metrics/types.js';

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const k6UtilsModule = {
  randomIntBetween: (min: number, max: number) => Math.floor(Math.random() * (max - min + 1) + min),
  randomItem: <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)],
  randomString: (length: number, charset = ALNUM) => {
    let s = '';
    for (let i = 0; i < length; i++) s += charset[Math.floor(Math.random() * charset.length)];
    return s;
  },
  uuidv4: (secure = false) => (secure ? randomUUID() : randomUUID()),
  /** The text between `left` and `right` (the first, or all with `repeat`). */
  findBetween: (content: string, left: string, right: string, repeat = false): string | string[] => {
    const found: string[] = [];
    let from = 0;
    for (;;) {
      const a = content.indexOf(left, from);
      if (a < 0) break;
      const b = content.indexOf(right, a + left.length);
      if (b < 0) break;
      found.push(content.slice(a + left.length, b));
      if (!repeat) break;
      from = b + right.length;
    }
    return repeat ? found : (found[0] ?? '');
  },
  secureRandomIntBetween: (min: number, max: number) => randomInt(min, max + 1),
};

function indentLines(text: string, indent: string): string {
  return indent === '' ? text : text.split('\n').map((l) => (l === '' ? l : indent + l)).join('\n');
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export const k6SummaryModule = {
  /** The end-of-test text; `indent` prefixes each line, `enableColors` adds ANSI colours. */
  textSummary: (data: SummaryData, opts: { indent?: string; enableColors?: boolean } = {}) =>
    indentLines(squallTextSummary(data, { enableColors: opts.enableColors ?? false }), opts.indent ?? ''),
  /** JUnit XML: one test case per threshold, failed thresholds as failures. */
  jUnit: (data: SummaryData, opts: { name?: string; classname?: string } = {}) => {
    const cases: string[] = [];
    let failures = 0;
    for (const [metric, m] of Object.entries(data.metrics)) {
      for (const [expr, r] of Object.entries(m.thresholds ?? {})) {
        const name = xmlEscape(`${metric} - ${expr}`);
        if (r.ok) cases.push(`<testcase name="${name}" classname="${xmlEscape(opts.classname ?? 'Unnamed folder')}" />`);
        else {
          failures++;
          cases.push(`<testcase name="${name}" classname="${xmlEscape(opts.classname ?? 'Unnamed folder')}"><failure message="failed" /></testcase>`);
        }
      }
    }
    return `<?xml version="1.0"?>\n<testsuites tests="${cases.length}" failures="${failures}">\n<testsuite name="${xmlEscape(opts.name ?? 'k6 thresholds')}" tests="${cases.length}" failures="${failures}">${cases.join('\n')}\n</testsuite>\n</testsuites>`;
  },
};

export const papaparseModule = Papa as unknown as Record<string, unknown>;

export const uuidModule = {
  v4: () => randomUUID(),
};

export const urlModule = { URL, URLSearchParams };
