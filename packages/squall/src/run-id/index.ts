/**
 * The one run-id format: UTC start time to the millisecond, then the test name, e.g.
 * `20261123T043617.315Z-quickstart`. Sorts by time as text; used for results directories,
 * history entries and reports alike.
 */
export function formatRunId(startedAtEpochMs: number, test: string): string {
  const stamp = new Date(startedAtEpochMs).toISOString().replace(/[-:]/g, '');
  return `${stamp}-${test.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/** The test name of a script path: its file name without the extension. */
export function testNameOfPath(script: string): string {
  const base = script.replace(/^.*[\\/]/, '');
  return base.replace(/\.[cm]?[jt]sx?$/, '') || 'test';
}
