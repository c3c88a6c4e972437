/**
 * Scripts cannot end the process: k6 has no `process`, and a `process.exit()` in VU or init code
 * would end squall (or its worker thread) before it writes the summary, the results and the exit
 * code the run earned. While the guard is installed, `process.exit()` throws instead: an iteration
 * error in VU code, an init error (exit 107) in init code.
 */
export class ProcessExitInScript extends Error {
  constructor(code: unknown) {
    super(
      `process.exit(${code === undefined ? '' : String(code)}) is not available in scripts (k6 has no \`process\`): ` +
        'use exec.test.abort() to end the test, or fail() / throw to end the iteration',
    );
    this.name = 'ProcessExitError';
  }
}

let installed = 0;
let original: typeof process.exit | undefined;

/** Makes `process.exit()` throw ProcessExitInScript; returns the function that restores it (nested installs restore on the last). */
export function installExitGuard(): () => void {
  if (installed++ === 0) {
    original = process.exit;
    process.exit = ((code?: unknown) => {
      throw new ProcessExitInScript(code);
    }) as typeof process.exit;
  }
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    if (--installed === 0 && original !== undefined) process.exit = original;
  };
}
