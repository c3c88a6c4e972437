import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SquallError } from '../errors.js';

/** uPlot's minified script and stylesheet, inlined into every HTML report. */
export interface HtmlAssets {
  readonly uplotJs: string;
  readonly uplotCss: string;
}

let cached: HtmlAssets | undefined;

/** Reads uPlot from node_modules once per process (about 53 KB). */
export function loadHtmlAssets(): HtmlAssets {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  try {
    cached = {
      uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
    return cached;
  } catch (cause) {
    throw new SquallError('SQUALL_IO', 'cannot read uPlot (uplot/dist/uPlot.iife.min.js) for the HTML report: is the `uplot` dependency installed?', { cause });
  }
}
