import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { alertRuleOf, buildDashboards, DASHBOARD_FILES, RULES_FILE, writeDashboards } from '../src/dashboards/index.js';
import { ACTIVITY_SLOS, sloThresholds, type Slo } from '../src/slos/index.js';
import { runCli, tmpDir } from './helpers/cli.js';

const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;

/** Buckets of a histogram where every observation lands in the bucket ending at `le` (10 per minute). */
function histogram(name: string, bounds: readonly number[], le: number, labels = ''): { series: string; values: string }[] {
  return [...bounds.map(String), '+Inf'].map((b) => ({
    series: `${name}_bucket{${labels}${labels === '' ? '' : ','}le="${b}"}`,
    values: b === '+Inf' || Number(b) >= le ? '0+10x40' : '0x40',
  }));
}

const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
const QUERY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];

/** Per SLO: input series that break it (with the alert's $value then) and series that keep it. */
const CASES: Record<string, { breach: { series: string; values: string }[]; value: string; healthy: { series: string; values: string }[]; labels?: Record<string, string> }> = {
  'ingest-lag-p95': { breach: histogram('activity_ingest_to_stored_seconds', LAG_BUCKETS, 30), value: '29', healthy: histogram('activity_ingest_to_stored_seconds', LAG_BUCKETS, 1) },
  'ingestion-success': {
    breach: [{ series: 'activity_events_received_total{endpoint="bulk"}', values: '0+1000x40' }, { series: 'activity_events_accepted_total{endpoint="bulk"}', values: '0+990x40' }],
    value: '0.99',
    healthy: [{ series: 'activity_events_received_total{endpoint="bulk"}', values: '0+1000x40' }, { series: 'activity_events_accepted_total{endpoint="bulk"}', values: '0+1000x40' }],
  },
  'query-latency-p95': { breach: histogram('activity_query_duration_seconds', QUERY_BUCKETS, 5, 'scope="platform"'), value: '4.85', healthy: histogram('activity_query_duration_seconds', QUERY_BUCKETS, 0.5, 'scope="platform"') },
  'stream-depth': {
    breach: [{ series: 'activity_queue_depth_events{job="activity"}', values: '2000+100x40' }],
    value: '4000',
    // Deep but flat (draining as fast as it fills): not an incident.
    healthy: [{ series: 'activity_queue_depth_events{job="activity"}', values: '5000x40' }],
    labels: { job: 'activity' },
  },
  'store-cpu': {
    breach: [{ series: 'activity_process_cpu_seconds_total{job="activity"}', values: '0+54x40' }],
    value: '0.9',
    healthy: [{ series: 'activity_process_cpu_seconds_total{job="activity"}', values: '0+30x40' }],
    labels: { job: 'activity' },
  },
};

/** An evaluation time past the rule's `for:` window plus the 5 m rate window's warm-up. */
function evalTime(slo: Slo): string {
  return `${Number.parseInt(slo.alert.for, 10) + 10}m`;
}

function unitTests(expectHealthyToFire = false): string {
  const tests = ACTIVITY_SLOS.flatMap((slo) => {
    const c = CASES[slo.id];
    if (c === undefined) throw new Error(`no promtool case for SLO ${slo.id}`);
    const rule = alertRuleOf(slo);
    const alert = (value: string) => ({
      exp_labels: { ...rule.labels, ...c.labels },
      exp_annotations: { summary: rule.annotations.summary, description: (rule.annotations.description as string).replace('{{ $value | printf "%.4g" }}', value) },
    });
    return [
      { name: `${slo.id}: fires on a breach`, interval: '1m', input_series: c.breach, alert_rule_test: [{ eval_time: evalTime(slo), alertname: slo.alert.name, exp_alerts: [alert(c.value)] }] },
      { name: `${slo.id}: quiet when healthy`, interval: '1m', input_series: c.healthy, alert_rule_test: [{ eval_time: evalTime(slo), alertname: slo.alert.name, exp_alerts: expectHealthyToFire ? [alert(c.value)] : [] }] },
      // Not before the `for:` window has passed.
      { name: `${slo.id}: pending, not firing, inside its for: window`, interval: '1m', input_series: c.breach, alert_rule_test: [{ eval_time: '3m', alertname: slo.alert.name, exp_alerts: [] }] },
    ];
  });
  return stringify({ rule_files: [RULES_FILE], evaluation_interval: '1m', tests }, { lineWidth: 0 });
}

describe('dashboards and rules as files', () => {
  it('squall dashboards --out DIR writes the four boards and the rules, each board with the datasource and template variables', async () => {
    const dir = tmpDir();
    const r = await runCli(['dashboards', '--out', join(dir, 'boards'), '--baseline', 'run-41']);
    expect(r.code, r.stderr).toBe(0);
    for (const f of [...Object.keys(DASHBOARD_FILES), RULES_FILE]) expect(r.stdout).toContain(join(dir, 'boards', f));
    const board = JSON.parse(readFileSync(join(dir, 'boards', 'load-test.json'), 'utf8'));
    const vars = board.templating.list.map((v: { name: string }) => v.name);
    expect(vars).toEqual(expect.arrayContaining(['datasource', 'testid', 'scenario', 'tenant', 'baseline']));
    expect(board.templating.list.find((v: { name: string }) => v.name === 'baseline').current.value).toBe('run-41');
    for (const p of board.panels) if (p.type !== 'row') expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
  });

  it('an --out that cannot be a directory is a clear error with exit code 1, not a stack trace', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = await runCli(['dashboards', '--out', join(dir, 'a-file', 'boards')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`squall: dashboards: cannot write into ${join(dir, 'a-file', 'boards')} (ENOTDIR); pick a writable directory with --out DIR\n`);
  });

  it('each board has unique panel ids and a $scope variable where queries are shown by scope', () => {
    const set = buildDashboards();
    for (const d of Object.values(set)) {
      const ids = (d.panels ?? []).map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(set['query-performance.json'].templating?.list?.map((v) => v.name)).toEqual(expect.arrayContaining(['scope', 'tenant', 'testid']));
  });

  it('the SLO limit is one number: the rule, the squall threshold and the panel threshold line all read it', () => {
    const lag = ACTIVITY_SLOS.find((s) => s.id === 'ingest-lag-p95') as Slo;
    expect(alertRuleOf(lag).expr).toMatch(/ > 10$/);
    expect(sloThresholds()).toMatchObject({ ingest_lag: ['p(95)<10000'], 'http_req_failed{scenario:ingest}': ['rate<0.001'], target_cpu: ['max<0.85'] });
    const panel = (buildDashboards()['ingestion-pipeline.json'].panels ?? []).find((p) => p.title?.startsWith('End-to-end latency')) as { fieldConfig: { defaults: { thresholds: { steps: { value: number | null }[] } } } };
    expect(panel.fieldConfig.defaults.thresholds.steps.map((s) => s.value)).toEqual([null, 10]);
  });
});

describe.skipIf(!hasPromtool)('prometheus-rules.yaml with promtool', () => {
  async function rulesDir(): Promise<string> {
    const dir = tmpDir();
    await writeDashboards(dir);
    return dir;
  }

  it('promtool check rules passes', async () => {
    const dir = await rulesDir();
    const r = spawnSync('promtool', ['check', 'rules', join(dir, RULES_FILE)], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`${ACTIVITY_SLOS.length} rules found`);
  });

  it('promtool test rules: each alert fires on a breach after its for: window and stays quiet on a healthy series', async () => {
    const dir = await rulesDir();
    writeFileSync(join(dir, 'tests.yaml'), unitTests());
    const r = spawnSync('promtool', ['test', 'rules', 'tests.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('SUCCESS');
  });

  it('promtool test rules fails when a healthy series is expected to fire (the tests can fail)', async () => {
    const dir = await rulesDir();
    writeFileSync(join(dir, 'tests.yaml'), unitTests(true));
    const r = spawnSync('promtool', ['test', 'rules', 'tests.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    for (const slo of ACTIVITY_SLOS) expect(r.stdout + r.stderr).toContain(`${slo.id}: quiet when healthy`);
  });
});
