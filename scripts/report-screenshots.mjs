// Screenshots of an HTML report's charts for docs/images (docs/reports.md shows them):
//   DEMO_DURATION=20s DEMO_HISTORY_EVENTS=20000 DEMO_RESULTS=/tmp/demo npm run demo
//   node scripts/report-screenshots.mjs /tmp/demo/report.html docs/images
//   node scripts/report-screenshots.mjs /tmp/demo/report-baseline.html docs/images baseline
// (the second: the same run reported with `squall report DIR --baseline NAME --html FILE`).
// Uses playwright-core with Debian's chromium (/usr/bin/chromium, or $SQUALL_CHROMIUM).
import { chromium } from 'playwright-core';

const [html, out, mode] = process.argv.slice(2);
if (html === undefined || out === undefined) {
  process.stderr.write('usage: node scripts/report-screenshots.mjs REPORT.html OUT_DIR [baseline]\n');
  process.exit(1);
}
const browser = await chromium.launch({ executablePath: process.env.SQUALL_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
await page.goto(`file://${html}`);
await page.waitForFunction(() => typeof window.squallCharts === 'number');
const shots = mode === 'baseline'
  ? { 'chart-requests': 'report-requests-baseline', 'chart-latency-0': 'report-latency-baseline' }
  : { 'chart-latency-2': 'report-latency-queries', 'chart-name-1': 'report-name-1', 'chart-errors': 'report-errors', 'chart-ingest-lag': 'report-ingest-lag', 'chart-delivery': 'report-delivery', 'chart-resources': 'report-resources' };
for (const [id, file] of Object.entries(shots)) {
  if ((await page.locator(`#${id}`).count()) > 0) await page.locator(`#${id}`).screenshot({ path: `${out}/${file}.png` });
}
if (mode !== 'baseline') {
  // The first screen of the report (README shows it).
  await page.setViewportSize({ width: 1300, height: 1500 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${out}/report.png` });
}
await browser.close();
