import { SquallError } from '../errors.js';
import { loadHtmlAssets } from './html-assets.js';
import { formatHtmlReport } from './html-report.js';
import { formatJunitReport } from './junit-report.js';
import { formatMarkdownReport } from './markdown-report.js';
import type { ReportModel } from './report-model.js';

/** Report formats squall writes. */
export type ReportFormat = 'html' | 'markdown' | 'junit';

/** A reporter: its default file name in the results directory and its formatter. */
export interface Reporter {
  readonly fileName: string;
  format(model: ReportModel): string;
}

/** Every reporter, by format. */
export const REPORTERS: { readonly [K in ReportFormat]: Reporter } = {
  html: { fileName: 'report.html', format: (m) => formatHtmlReport(m, loadHtmlAssets()) },
  markdown: { fileName: 'report.md', format: formatMarkdownReport },
  junit: { fileName: 'junit.xml', format: formatJunitReport },
};

/** Parses `html,markdown,junit` (also `md`, `xml`); throws SquallError SQUALL_USAGE on an unknown name. */
export function parseReportFormats(text: string): ReportFormat[] {
  const alias: Record<string, ReportFormat> = { html: 'html', markdown: 'markdown', md: 'markdown', junit: 'junit', xml: 'junit' };
  const out: ReportFormat[] = [];
  for (const raw of text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const f = alias[raw];
    if (f === undefined) throw new ReportFormatError(raw);
    if (!out.includes(f)) out.push(f);
  }
  return out;
}

class ReportFormatError extends SquallError {
  constructor(name: string) {
    super('SQUALL_USAGE', `unknown report format "${name}": expected a comma-separated list of html, markdown, junit`);
  }
}
