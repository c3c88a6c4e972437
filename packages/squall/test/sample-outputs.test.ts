import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliForSummary, scriptsDir, tmpDir } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

// `squall run --out json=FILE --out csv=FILE.gz` end to end: every sample of a real run is in the
// files, so counts and sums read back from them equal the summary's.
const script = join(scriptsDir, 'prometheus-load.ts');

let target: TestServer;
let dir: string;
let summary: any;
let jsonLines: any[];
let csvRows: string[][];
let csvHeader: string[];
let stderr: string;

function parseCsv(text: string): string[][] {
  // The fields these tests read hold no quotes; quoted fields (URLs with commas) are unquoted here.
  return text
    .trimEnd()
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let cur = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quoted) {
          if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
          else if (c === '"') quoted = false;
          else cur += c;
        } else if (c === '"') quoted = true;
        else if (c === ',') out.push(cur), (cur = '');
        else cur += c;
      }
      out.push(cur);
      return out;
    });
}

beforeAll(async () => {
  target = await startServer();
  dir = tmpDir();
  const r = await runCliForSummary(
    ['run', script, '--no-results', '--no-history', '-q', '-e', `BASE_URL=${target.url}`, '-e', 'DURATION=2s', '--out', 'json=out/samples.json', '--out', 'csv=samples.csv.gz', '--tag', 'team=a,b'],
    { cwd: dir },
  );
  expect(r.code, r.stderr).toBe(0);
  stderr = r.stderr;
  summary = r.summary;
  jsonLines = readFileSync(join(dir, 'out', 'samples.json'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  const rows = parseCsv(gunzipSync(readFileSync(join(dir, 'samples.csv.gz'))).toString('utf8'));
  csvHeader = rows[0] as string[];
  csvRows = rows.slice(1);
}, 60_000);
afterAll(() => target.close());

const points = (metric: string) => jsonLines.filter((l) => l.type === 'Point' && l.metric === metric);
const rowsOf = (metric: string) => csvRows.filter((r) => r[0] === metric);

describe('--out json', () => {
  it('writes one Metric line per metric, before its first Point', () => {
    const metricLines = jsonLines.filter((l) => l.type === 'Metric');
    const names = metricLines.map((l) => l.metric);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['http_reqs', 'http_req_duration', 'iterations', 'checks', 'items_done', 'queue_depth', 'good_answers', 'think_time', 'vus']) {
      const first = jsonLines.findIndex((l) => l.metric === name);
      expect(first, name).toBeGreaterThanOrEqual(0);
      expect(jsonLines[first].type, name).toBe('Metric');
    }
    const dur = metricLines.find((l) => l.metric === 'http_req_duration');
    expect(dur.data).toMatchObject({ name: 'http_req_duration', type: 'trend', contains: 'time' });
    expect(metricLines.find((l) => l.metric === 'checks').data.type).toBe('rate');
  });

  it('writes a Point per sample: counts and sums equal the summary', () => {
    const m = summary.metrics;
    expect(points('http_reqs').length).toBe(m.http_reqs.values.count);
    expect(points('http_req_duration').length).toBe(m.http_reqs.values.count);
    expect(points('iterations').length).toBe(m.iterations.values.count);
    const checks = points('checks');
    expect(checks.length).toBe(m.checks.values.passes + m.checks.values.fails);
    expect(checks.filter((p) => p.data.value === 1).length).toBe(m.checks.values.passes);
    expect(points('items_done').reduce((a, p) => a + p.data.value, 0)).toBe(m.items_done.values.count);
    const good = points('good_answers');
    expect(good.filter((p) => p.data.value === 1).length).toBe(m.good_answers.values.passes);
    const durations = points('http_req_duration').map((p) => p.data.value);
    expect(Math.max(...durations)).toBeCloseTo(m.http_req_duration.values.max, 6);
    expect(Math.min(...durations)).toBeCloseTo(m.http_req_duration.values.min, 6);
  });

  it('gives each Point its time and the sample tags', () => {
    const p = points('http_reqs').find((x) => x.data.tags.name === 'missing');
    expect(p.data.tags).toMatchObject({ method: 'GET', status: '404', name: 'missing', scenario: 'default', expected_response: 'false' });
    expect(p.data.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(typeof p.data.value).toBe('number');
  });
});

describe('--out csv', () => {
  it("has k6's header and gunzips (the name ends in .gz)", () => {
    expect(csvHeader.join(',')).toBe(
      'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags',
    );
    for (const r of csvRows) expect(r.length).toBe(csvHeader.length);
  });

  it('writes a row per sample: counts equal the summary and the JSON file', () => {
    const m = summary.metrics;
    expect(rowsOf('http_reqs').length).toBe(m.http_reqs.values.count);
    expect(rowsOf('iterations').length).toBe(m.iterations.values.count);
    expect(rowsOf('checks').length).toBe(m.checks.values.passes + m.checks.values.fails);
    expect(rowsOf('items_done').reduce((a, r) => a + Number(r[2]), 0)).toBe(m.items_done.values.count);
    expect(csvRows.length).toBe(jsonLines.filter((l) => l.type === 'Point').length);
  });

  it('puts tags in their columns, the rest in extra_tags, and unix seconds in timestamp', () => {
    const col = (name: string) => csvHeader.indexOf(name);
    const missing = rowsOf('http_reqs').find((r) => r[col('name')] === 'missing') as string[];
    expect(missing[col('status')]).toBe('404');
    expect(missing[col('method')]).toBe('GET');
    expect(missing[col('expected_response')]).toBe('false');
    expect(missing[col('url')]).not.toBe('');
    expect(missing[col('extra_tags')]).toBe('team=a,b');
    const check = rowsOf('checks')[0] as string[];
    expect(check[col('check')]).toBe('ok is 200');
    expect(Number(missing[1])).toBeGreaterThan(1.6e9);
    expect(missing[1]).toMatch(/^\d{10}$/);
    expect(stderr).not.toContain('were not written');
  });
});

describe('--out json/csv validation', () => {
  it('exits 104 when the file name is missing or the time format is unknown', async () => {
    const r = await runCliForSummary(['run', script, '--no-results', '--no-history', '-q', '--out', 'json', '--out', 'csv=x.csv'], { env: { SQUALL_CSV_TIME_FORMAT: 'weekly' } });
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('--out json: needs a file name: --out json=FILE');
    expect(r.stderr).toContain('SQUALL_CSV_TIME_FORMAT: must be one of unix, unix_milli, rfc3339, but is "weekly"');
  });
});
