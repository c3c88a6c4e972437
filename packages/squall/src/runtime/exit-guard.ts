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

/** Whether the nearest caller with a file name is a bundled script (script/bundle.ts writes them under `squall-bundle-*`). */
function calledFromScript(): boolean {
  const prepare = Error.prepareStackTrace;
  // Raw call sites: the bundle's own file names, before source maps rename them after the user's files.
  Error.prepareStackTrace = (_err, sites) => sites;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  Error.captureStackTrace(holder, calledFromScript);
  const sites = holder.stack;
  Error.prepareStackTrace = prepare;
  const file = (Array.isArray(sites) ? sites.slice(1) : []).map((s) => s.getFileName()).find((f) => f !== null && f !== undefined);
  return file !== undefined && file.includes('/squall-bundle-');
}

/**
 * Makes `process.exit()` throw ProcessExitInScript; returns the function that restores it (nested
 * installs restore on the last). `onlyScripts`: throw only when a bundled script calls it, so the
 * host (the CLI's own handlers, a program using the API) still exits; a worker thread, where only
 * script code could call it, guards every call.
 */
export function installExitGuard(onlyScripts = false): () => void {
  if (installed++ === 0) {
    const exit = process.exit;
    original = exit;
    process.exit = ((code?: number | string | null) => {
      if (onlyScripts && !calledFromScript()) return exit(code);
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
