import { SquallError } from '../errors.js';

/** The suite could not run: bad file, not ready, service failed. Exit code 104 (docs/suites.md). */
export class SuiteError extends SquallError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('SQUALL_CONFIG_INVALID', problems.length === 1 ? problems[0]! : `the suite cannot run (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SuiteError';
    this.problems = problems;
  }
}
