import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { writeFileAtomic } from '../outputs/atomic-write.js';
import { ingestionPipelineBoard, queryPerformanceBoard, systemResourcesBoard } from './activity-boards.js';
import { computeAlertRules, formatAlertRules } from './alert-rules.js';
import { loadTestBoard, type BoardOptions } from './load-test-board.js';

/** File name -> board builder: seed 000's three boards and squall's load-test board. */
export const DASHBOARD_FILES = {
  'ingestion-pipeline.json': ingestionPipelineBoard,
  'query-performance.json': queryPerformanceBoard,
  'system-resources.json': systemResourcesBoard,
  'load-test.json': loadTestBoard,
} as const;

/** The alert rules file written beside the boards. */
export const RULES_FILE = 'prometheus-rules.yaml';

/** File name -> built dashboard JSON model. */
export type DashboardSet = Readonly<Record<keyof typeof DASHBOARD_FILES, Dashboard>>;

/** Builds the four dashboards (pure). */
export function buildDashboards(opts: BoardOptions = {}): DashboardSet {
  const out = {} as Record<keyof typeof DASHBOARD_FILES, Dashboard>;
  for (const [file, build] of Object.entries(DASHBOARD_FILES) as [keyof typeof DASHBOARD_FILES, (o: BoardOptions) => { build(): Dashboard }][]) {
    const dashboard = build(opts).build();
    // Unique panel ids: Grafana links and the panel editor key on them.
    (dashboard.panels ?? []).forEach((p, i) => (p.id = i + 1));
    out[file] = dashboard;
  }
  return out;
}

/** Paths written by writeDashboards. */
export interface WrittenDashboards {
  readonly files: readonly string[];
}

/** Writes the four boards and prometheus-rules.yaml into `dir` (created; files written atomically). */
export async function writeDashboards(dir: string, opts: BoardOptions = {}): Promise<WrittenDashboards> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const [file, dashboard] of Object.entries(buildDashboards(opts))) {
    const path = join(dir, file);
    await writeFileAtomic(path, `${JSON.stringify(dashboard, null, 2)}\n`);
    files.push(path);
  }
  const rules = join(dir, RULES_FILE);
  await writeFileAtomic(rules, formatAlertRules(computeAlertRules(opts.slos)));
  files.push(rules);
  return { files };
}
