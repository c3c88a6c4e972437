import { ExitCode } from '../cli/exit-codes.js';

/**
 * Exit code of `squall compare` (and `squall report --baseline`) when a regression is found.
 * 2: outside k6's 97-110 range (99 already means "thresholds failed", so CI can tell a slower build
 * from a broken SLO) and distinct from 1 (usage or internal error: the comparison did not run).
 */
export const REGRESSION_EXIT_CODE = ExitCode.regression;
