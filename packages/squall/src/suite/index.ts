/** Suites: one declarative file runs a team's whole performance plan (docs/suites.md). */
export { loadSuite } from './load.js';
export { SuiteError } from './errors.js';
export { SUITE_SCHEMA } from './schema.js';
export { runSuite, substitute, type SuiteOutcome, type SuiteRunInput, type TestOutcome } from './runner.js';
export { suiteMarkdown, suiteHtml, suiteReport, reportMarkdown, reportHtml, suiteJunit, overallStatus, archiveRun, listSuiteRuns, figuresOf, type OverallStatus, type SuiteReport } from './report.js';
export { parallelGroups } from './runner.js';
export type { Suite, LoadedSuite, Slo } from './types.js';
export { notifyAll, notifyPayload, GITHUB_SUMMARY_LIMIT } from './notify.js';
export { TEST_TYPES, testTemplate, type TestType } from './templates.js';
export { scaffoldFiles, writeScaffold } from './scaffold.js';
