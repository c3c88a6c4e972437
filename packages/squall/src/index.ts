/**
 * squall's public entry. Test scripts use the script API (http, check, sleep, ...); Node programs
 * use `run()` to run a script and read its summary.
 */
export * from './script-entry.js';
export { run, type RunOptions, type RunResult } from './api/run.js';
export type { RunEvents, RunInterruption } from './engine/run-test.js';
export type { ProgressUpdate } from './engine/progress.js';
export type { SummaryData, MetricSummary, GroupSummary, CheckSummary } from './metrics/types.js';
export type { ThresholdResult } from './thresholds/evaluate.js';
export { SquallError, ConfigError, ScriptLoadError, type ConfigProblem, type SquallErrorCode } from './errors.js';
export { ExitCode } from './cli/exit-codes.js';
