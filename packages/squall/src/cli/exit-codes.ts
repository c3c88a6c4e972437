import type { RunTestResult } from '../engine/run-test.js';
import { SquallError } from '../errors.js';

/**
 * Process exit codes (k6's). The one place errors become exit codes:
 *   0   the test ran and every threshold held
 *   1   usage error or an internal error of squall
 *   2   `squall compare` / `squall report --baseline` found a regression (outside k6's 97-110 range,
 *       so CI can tell a slower build from a broken SLO)
 *   99  one or more thresholds failed
 *   104 invalid options (every problem is listed)
 *   105 stopped from outside (SIGINT/SIGTERM)
 *   107 the script failed to load, or setup()/teardown() threw
 *   108 the script aborted the test (exec.test.abort())
 *   109 a distributed run is incomplete: an instance missed the start barrier or stopped reporting
 *       (docs/distributed.md); the merged figures cover only the segments named
 */
export const ExitCode = {
  ok: 0,
  usage: 1,
  regression: 2,
  thresholdsFailed: 99,
  invalidConfig: 104,
  externalAbort: 105,
  scriptException: 107,
  scriptAborted: 108,
  incompleteRun: 109,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Maps an error thrown by a command to its exit code. */
export function exitCodeForError(err: unknown): ExitCodeValue {
  if (!(err instanceof SquallError)) return ExitCode.usage;
  switch (err.code) {
    case 'SQUALL_CONFIG_INVALID':
      return ExitCode.invalidConfig;
    case 'SQUALL_SCRIPT_LOAD':
    case 'SQUALL_SCRIPT_EXCEPTION':
      return ExitCode.scriptException;
    case 'SQUALL_SCRIPT_ABORTED':
      return ExitCode.scriptAborted;
    case 'SQUALL_THRESHOLDS_FAILED':
      return ExitCode.thresholdsFailed;
    case 'SQUALL_INTERRUPTED':
      return ExitCode.externalAbort;
    case 'SQUALL_INCOMPLETE':
      return ExitCode.incompleteRun;
    case 'SQUALL_USAGE':
    case 'SQUALL_IO':
      return ExitCode.usage;
  }
}

/** Maps a finished run to its exit code: script abort, then signal, then thresholds. */
export function exitCodeFor(r: Pick<RunTestResult, 'interruption' | 'thresholdsOk'>): ExitCodeValue {
  if (r.interruption?.by === 'script') return ExitCode.scriptAborted;
  if (r.interruption?.by === 'signal') return ExitCode.externalAbort;
  if (!r.thresholdsOk) return ExitCode.thresholdsFailed;
  return ExitCode.ok;
}
