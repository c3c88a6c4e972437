import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startActivityTarget, stopActivityTargets } from './helpers/activity-target.js';
import { runCli, scriptsDir, tmpDir } from './helpers/cli.js';
import { launchChromium } from './helpers/report-browser.js';

const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const TOKEN = 'report-charts-token';

interface PlotInfo {
  id: string;
  title: string;
  painted: number;
  series: { label: string; scale: string; values: (number | null)[] }[];
  /** Per y axis: its scale, size in CSS px and the widest tick label measured in its font. */
  yAxes: { scale: string; size: number; widest: number; labels: string[] }[];
  xLabels: string[];
  /** Threshold series: value, and red pixels found on the canvas row where that value lies. */
  thresholds: { label: string; value: number; redPixels: number }[];
  /** Pixel distance between the lowest and highest value of each non-threshold series. */
  spanPx: Record<string, number>;
}

/** What the rendered report shows, read from uPlot's instances and the canvases in the page. */
async function inspect(page: Page): Promise<PlotInfo[]> {
  return page.evaluate(() => {
    type U = any;
    const plots = (window as unknown as { squallPlots: { id: string; u: U }[] }).squallPlots;
    return plots.map(({ id, u }) => {
      const canvas: HTMLCanvasElement = u.ctx.canvas;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < img.length; i += 4) if (img[i] !== 0) painted++;
      const series = u.series.slice(1).map((s: U, i: number) => ({ label: String(s.label), scale: String(s.scale), values: u.data[i + 1] as (number | null)[] }));
      const measure = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
      const yAxes = u.axes.slice(1).map((a: U) => {
        measure.font = Array.isArray(a.font) ? a.font[0] : a.font;
        const labels: string[] = (a._values ?? []).map(String);
        return { scale: String(a.scale), size: Number(a._size), widest: Math.max(0, ...labels.map((l) => measure.measureText(l).width)), labels };
      });
      const bbox = u.bbox; // canvas pixels
      const thresholds = u.series.slice(1).flatMap((s: U, i: number) => {
        if (!String(s.label).startsWith('threshold') || String(s.label).includes('not drawn')) return [];
        const value = (u.data[i + 1] as number[])[0] as number;
        const y = Math.round(u.valToPos(value, s.scale, true));
        let redPixels = 0;
        for (let dy = -2; dy <= 2; dy++) {
          for (let x = Math.round(bbox.left); x < bbox.left + bbox.width; x++) {
            const o = ((y + dy) * canvas.width + x) * 4;
            if (img[o] > 230 && img[o + 1] < 40 && img[o + 2] < 40) redPixels++;
          }
        }
        return [{ label: String(s.label), value, redPixels }];
      });
      const spanPx: Record<string, number> = {};
      u.series.slice(1).forEach((s: U, i: number) => {
        const vs = (u.data[i + 1] as (number | null)[]).filter((v): v is number => v != null);
        if (vs.length > 0 && !String(s.label).startsWith('threshold')) spanPx[String(s.label)] = Math.abs(u.valToPos(Math.max(...vs), s.scale) - u.valToPos(Math.min(0, ...vs), s.scale));
      });
      return { id, title: String(u.root.querySelector('.u-title')?.textContent ?? ''), painted, series, yAxes, xLabels: (u.axes[0]._values ?? []).map(String), thresholds, spanPx };
    });
  });
}

describe('HTML report charts, as a person sees them in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let plots: PlotInfo[];
  let bodyText: string;
  let markdown: string;

  beforeAll(async () => {
    const target = await startActivityTarget(['--platform-token', TOKEN, '--flush-interval', '100']);
    const work = tmpDir();
    const results = join(work, 'run');
    const run = await runCli(['run', join(scriptsDir, 'dashboards-load.ts'), '-e', `TARGET=${target}`, '-e', `TOKEN=${TOKEN}`, '-e', 'DURATION=6s', '--results-dir', results, '--quiet', '--no-summary'], { cwd: work, timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    // The run as its own baseline: the overlay must then be drawn on the run's own lines.
    expect((await runCli(['baseline', 'update', results, '--file', 'baselines.json', '--name', 'base'], { cwd: work })).code).toBe(0);
    const rep = await runCli(['report', results, '--html', '--markdown', '--baseline', 'base', '--baselines-file', 'baselines.json'], { cwd: work });
    expect(rep.code, rep.stderr).toBe(0);
    markdown = readFileSync(join(results, 'report.md'), 'utf8');
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'report-charts.md'), markdown);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`file://${join(results, 'report.html')}`);
    await page.waitForFunction(() => typeof (window as unknown as { squallCharts?: number }).squallCharts === 'number', null, { timeout: 15_000 });
    expect(errors).toEqual([]);
    plots = await inspect(page);
    bodyText = await page.evaluate(() => document.body.innerText);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'report-charts.png'), fullPage: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    stopActivityTargets();
  });

  const plot = (id: string) => {
    const p = plots.find((x) => x.id === id);
    if (p === undefined) throw new Error(`no chart ${id}; charts: ${plots.map((x) => x.id).join(', ')}`);
    return p;
  };

  it('draws every chart: requests, latency per scenario and per name, errors, ingest lag, delivery, VUs, observed metrics, resources, distribution', () => {
    const ids = plots.map((p) => p.id);
    for (const id of ['chart-requests', 'chart-latency-0', 'chart-latency-1', 'chart-errors', 'chart-ingest-lag', 'chart-delivery', 'chart-vus', 'chart-resources', 'chart-distribution']) expect(ids).toContain(id);
    expect(ids.filter((i) => i.startsWith('chart-name-')).length).toBeGreaterThanOrEqual(4);
    expect(plots.find((p) => p.title === 'Observed: queue_depth')).toBeDefined();
    for (const p of plots) expect(p.painted, `canvas of ${p.id}`).toBeGreaterThan(1000);
  });

  it('no axis label is clipped: every y axis is wider than its widest tick label', () => {
    for (const p of plots) {
      for (const a of p.yAxes) {
        expect(a.labels.length, `${p.id} axis ${a.scale}`).toBeGreaterThan(1);
        expect(a.size, `${p.id} axis ${a.scale}: labels ${a.labels.join(' ')}`).toBeGreaterThan(a.widest + 6);
      }
    }
  });

  it('the x axis is elapsed time (m:ss from 0:00), not wall-clock', () => {
    for (const p of plots.filter((x) => x.id !== 'chart-distribution')) {
      expect(p.xLabels[0], p.id).toBe('0:00');
      for (const l of p.xLabels) expect(l, p.id).toMatch(/^\d+:\d\d$/);
    }
  });

  it('threshold lines are drawn where their limit lies on the axis', () => {
    const drawn = plots.flatMap((p) => p.thresholds.map((t) => ({ id: p.id, ...t })));
    expect(drawn.map((t) => `${t.id} ${t.label}`)).toEqual(expect.arrayContaining(['chart-vus threshold max<=20', 'chart-errors threshold rate<0.9']));
    for (const t of drawn) expect(t.redPixels, `${t.id} ${t.label} at ${t.value}`).toBeGreaterThan(50);
    expect(plot('chart-vus').thresholds[0]?.value).toBe(20);
    // ingest lag p(95)<60000 is far above ~1 s of lag: named in the legend, not drawn.
    expect(plot('chart-ingest-lag').series.map((s) => s.label)).toContain('threshold p(95)<10000 (far above the data: not drawn)');
  });

  it('resources: an axis per unit, and CPU is a visible line, not flat at 0', () => {
    const r = plot('chart-resources');
    expect(r.yAxes.map((a) => a.scale).sort()).toEqual(['bytes', 'cores']);
    expect(r.spanPx.target_cpu).toBeGreaterThan(30);
    expect(r.spanPx.target_rss_bytes).toBeGreaterThan(30);
  });

  it('the partial last interval draws no spike, and the baseline run is overlaid', () => {
    const req = plot('chart-requests');
    const ok = (req.series.find((s) => s.label === 'ok /s')?.values ?? []).filter((v): v is number => v != null);
    const median = [...ok].sort((a, b) => a - b)[Math.floor(ok.length / 2)] as number;
    expect(ok.at(-1)).toBeLessThan(median * 2);
    expect(req.series.some((s) => s.label.startsWith('baseline req/s') && s.values.some((v) => v != null))).toBe(true);
    expect(plot('chart-latency-0').series.some((s) => s.label.startsWith('baseline p95'))).toBe(true);
  });

  it('shows no NaN, undefined or Infinity anywhere', () => {
    expect(bodyText).not.toMatch(/NaN|undefined|Infinity/);
    expect(markdown).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('Markdown: human labels, the SLO line of the SLO table, resources and recommendations', () => {
    expect(markdown).toMatch(/\| Peak VUs \(`vus`\) \| max <= 20\.0 \| [\d.]+ \| ✅ PASS \|/);
    expect(markdown).toMatch(/\| Ingest lag p95 \| < 10 s \| [\d.]+(ms|s) \| ✅ PASS \| `ingest_lag: p\(95\)<10000` \|/);
    expect(markdown).toMatch(/\| Target CPU \(`target_cpu`\) \| [\d.]+% of a core \| [\d.]+% of a core \|/);
    expect(markdown).toMatch(/\| Target memory \(RSS\) \(`target_rss_bytes`\) \| [\d.]+ MiB \|/);
    // The overload scenario cannot keep its rate with one VU: the report says what that means.
    expect(markdown).toMatch(/## Recommendations\n\n1\. [^\n]*\n/);
    expect(markdown).toMatch(/\d+ iteration\(s\) were dropped/);
  });
});
