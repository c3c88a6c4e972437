import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboards } from '../src/dashboards/index.js';
import { startActivityTarget, stopActivityTargets } from './helpers/activity-target.js';
import { runCli, scriptsDir } from './helpers/cli.js';
import { hasPrometheus, startPrometheus, type RunningPrometheus } from './helpers/prometheus.js';

const TOKEN = 'dashboards-test-token';
const TEST_ID = 'dashboards-e2e';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Grafana's variables as this run sets them: every multi-value one at All (`.*`), the baseline = the run itself. */
function substitute(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '5s')
    .replaceAll('$baseline_window', '1h')
    .replaceAll('$baseline', TEST_ID)
    .replace(/\$(testid|scenario|tenant|scope|instance)\b/g, '.*');
}

interface PanelQuery {
  readonly board: string;
  readonly panel: string;
  readonly expr: string;
}

function panelQueries(): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const [board, d] of Object.entries(buildDashboards())) {
    for (const p of d.panels ?? []) {
      for (const t of ('targets' in p ? (p.targets ?? []) : []) as { expr?: string }[]) out.push({ board, panel: String(p.title), expr: String(t.expr) });
    }
  }
  return out;
}

function variableQueries(): { board: string; name: string; metric: string; label: string }[] {
  const out: { board: string; name: string; metric: string; label: string }[] = [];
  for (const [board, d] of Object.entries(buildDashboards())) {
    for (const v of d.templating?.list ?? []) {
      if (v.type !== 'query') continue;
      const m = /^label_values\((.+), (\w+)\)$/.exec(String(v.query));
      if (m === null) throw new Error(`${board}: variable ${v.name} is not label_values(...): ${String(v.query)}`);
      out.push({ board, name: String(v.name), metric: m[1] as string, label: m[2] as string });
    }
  }
  return out;
}

describe.skipIf(!hasPrometheus())('dashboards against real Prometheus after a real run', () => {
  let prom: RunningPrometheus;
  let startS = 0;
  let endS = 0;

  beforeAll(async () => {
    const target = await startActivityTarget(['--platform-token', TOKEN, '--flush-interval', '100']);
    const port = await freePort();
    prom = await startPrometheus({ scrapeConfigs: [{ job: 'activity', targets: [target] }, { job: 'squall', targets: [`127.0.0.1:${port}`] }] });
    startS = Date.now() / 1000 - 2;
    const r = await runCli(
      ['run', join(scriptsDir, 'dashboards-load.ts'), '-e', `TARGET=${target}`, '-e', `TOKEN=${TOKEN}`, '--out', `prometheus=127.0.0.1:${port}`, '--tag', `testid=${TEST_ID}`, '--tag', 'tenant=control-plane-1', '--no-results', '--quiet'],
      { env: { SQUALL_PROMETHEUS_LINGER: '3s' }, timeoutMs: 60_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    endS = Date.now() / 1000 + 1;
  }, 90_000);
  afterAll(async () => {
    await prom?.stop();
    stopActivityTargets();
  });

  /** Runs `expr` over the run's window; a problem as text, or undefined when it returned finite data. */
  async function problemOf(expr: string): Promise<string | undefined> {
    const params = new URLSearchParams({ query: substitute(expr), start: String(startS), end: String(endS), step: '1' });
    const res = await fetch(`${prom.url}/api/v1/query_range?${params}`);
    const body = (await res.json()) as { status: string; error?: string; data?: { result: { values: [number, string][] }[] } };
    if (body.status !== 'success') return `error: ${body.error ?? res.status}`;
    const finite = (body.data?.result ?? []).some((s) => s.values.some(([, v]) => Number.isFinite(Number(v))));
    return finite ? undefined : `no series with a finite value: ${substitute(expr)}`;
  }

  it('the check itself tells a wrong name and bad PromQL from a good query', async () => {
    expect(await problemOf('k6_http_reqs_totl{testid=~"$testid"}')).toMatch(/no series/);
    expect(await problemOf('sum by (scenario (k6_http_reqs_total)')).toMatch(/^error: /);
    expect(await problemOf(`k6_http_reqs_total{testid="${TEST_ID}"}`)).toBeUndefined();
  });

  it('every panel query of every board returns series with finite values', async () => {
    const queries = panelQueries();
    expect(queries.length).toBeGreaterThan(40);
    const failures: string[] = [];
    await Promise.all(
      queries.map(async (q) => {
        const problem = await problemOf(q.expr);
        if (problem !== undefined) failures.push(`${q.board} / ${q.panel}: ${problem}`);
      }),
    );
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('every template variable lists values', async () => {
    const failures: string[] = [];
    for (const v of variableQueries()) {
      const params = new URLSearchParams({ 'match[]': substitute(v.metric), start: String(startS), end: String(endS) });
      const body = (await (await fetch(`${prom.url}/api/v1/label/${v.label}/values?${params}`)).json()) as { status: string; data: string[] };
      if (body.status !== 'success' || body.data.length === 0) failures.push(`${v.board}: $${v.name} (label_values(${v.metric}, ${v.label})) lists nothing`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });
});
