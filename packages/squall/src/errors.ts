/**
 * One error tree for squall. Every error has a stable `code` users and the CLI match on; the CLI
 * maps codes to process exit codes in one place (`cli/exit-codes.ts`).
 */
export type SquallErrorCode =
  | 'SQUALL_CONFIG_INVALID'
  | 'SQUALL_SCRIPT_LOAD'
  | 'SQUALL_SCRIPT_EXCEPTION'
  | 'SQUALL_SCRIPT_ABORTED'
  | 'SQUALL_THRESHOLDS_FAILED'
  | 'SQUALL_INTERRUPTED'
  | 'SQUALL_USAGE'
  | 'SQUALL_IO'
  /** A distributed run lost an instance (start barrier, heartbeat) or its coordination service. */
  | 'SQUALL_INCOMPLETE';

/** Root of every error squall raises on purpose. */
export class SquallError extends Error {
  readonly code: SquallErrorCode;
  constructor(code: SquallErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SquallError';
    this.code = code;
  }
}

/** One problem found while validating options: where (dotted option path) and what. */
export interface ConfigProblem {
  /** Option path such as `scenarios.api.rate` or `thresholds["http_req_duration"][0]`. */
  readonly path: string;
  /** States the rule and the value found: "must be a positive integer, but is -3". */
  readonly message: string;
}

/** Invalid options: carries every problem found, never only the first. */
export class ConfigError extends SquallError {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(
      'SQUALL_CONFIG_INVALID',
      `invalid options (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** The script could not be bundled or its init code threw. */
export class ScriptLoadError extends SquallError {
  /** `file:line:column` when known. */
  readonly location: string | undefined;
  constructor(message: string, location?: string, options?: { cause?: unknown }) {
    super('SQUALL_SCRIPT_LOAD', location ? `${location}: ${message}` : message, options);
    this.name = 'ScriptLoadError';
    this.location = location;
  }
}
