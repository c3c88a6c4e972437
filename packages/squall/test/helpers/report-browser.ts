import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium, driven by playwright-core (scripts/install-system-deps.sh installs it). */
export const CHROMIUM_PATH = process.env.SQUALL_CHROMIUM ?? '/usr/bin/chromium';

/** Launches headless Chromium with no network features. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** What opening a report showed. */
export interface RenderedReport {
  readonly consoleErrors: string[];
  /** Requests to anything but the file itself. */
  readonly externalRequests: string[];
  /** Chart container id -> non-transparent pixels of its canvas. */
  readonly canvases: { id: string; width: number; height: number; painted: number }[];
  readonly chartContainers: string[];
  readonly chartsDrawn: number;
}

/** Opens `htmlPath`, waits for the charts, counts painted pixels per canvas and saves a screenshot. */
export async function renderReport(browser: Browser, htmlPath: string, screenshotPath: string): Promise<RenderedReport> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const consoleErrors: string[] = [];
  const externalRequests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) externalRequests.push(r.url());
  });
  await page.goto(`file://${htmlPath}`);
  await page.waitForFunction(() => typeof (window as unknown as { squallCharts?: number }).squallCharts === 'number', null, { timeout: 15_000 });
  const result = await page.evaluate(() => {
    const canvases = [...document.querySelectorAll('canvas')].map((c) => {
      const d = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) painted++;
      return { id: c.closest('.chart')?.id ?? '', width: c.width, height: c.height, painted };
    });
    const chartContainers = [...document.querySelectorAll('.chart')].map((e) => e.id);
    return { canvases, chartContainers, chartsDrawn: (window as unknown as { squallCharts: number }).squallCharts };
  });
  await page.screenshot({ path: screenshotPath, fullPage: true });
  await page.close();
  return { consoleErrors, externalRequests, ...result };
}
