import { SquallError } from '../errors.js';
import { vuContextStorage } from '../runtime/vu-context.js';
import { errorText } from './error-text.js';
import type { RunContext } from './run-state.js';
import { setupDataCopy } from './setup-data.js';

/**
 * setup() runs once, on the main thread, after the workers are loaded; its result (as JSON) goes to
 * every VU and to teardown(). In a distributed run the coordinator decides which instance runs it
 * (and first waits for the fleet's start barrier).
 */
export async function runSetupPhase(ctx: RunContext): Promise<unknown> {
  const { mod, options, bundle, events } = ctx;
  const runSetup = async (): Promise<unknown> => {
    if (typeof mod.setup !== 'function') return undefined;
    events.onPhase?.('setup');
    const data = await runLifecycle('setup', mod.setup as (d?: unknown) => unknown, undefined, options.setupTimeoutMs, options.tags, bundle.sourcePath);
    return setupDataCopy(data, bundle.sourcePath);
  };
  let setupData: unknown;
  const coordinator = ctx.input.coordinator;
  if (coordinator !== undefined) {
    await coordinator.awaitStart(options);
    setupData = await coordinator.setupData(runSetup);
  } else {
    setupData = await runSetup();
  }
  if (ctx.state.scriptAbort !== undefined) throw new SquallError('SQUALL_SCRIPT_ABORTED', ctx.state.scriptAbort);
  return setupData;
}

/** teardown(setupData) once the workers are gone; skipped after a hard stop (second Ctrl-C). */
export async function runTeardownPhase(ctx: RunContext, setupData: unknown): Promise<void> {
  const { mod, options, bundle, events, state } = ctx;
  const runTeardown = async (): Promise<void> => {
    if (typeof mod.teardown !== 'function' || state.killed) return;
    events.onPhase?.('teardown');
    await runLifecycle('teardown', mod.teardown as (d?: unknown) => unknown, setupData, options.teardownTimeoutMs, options.tags, bundle.sourcePath);
  };
  const coordinator = ctx.input.coordinator;
  if (coordinator !== undefined) await coordinator.finish(runTeardown);
  else await runTeardown();
}

/** Runs setup() or teardown() in its own group, bounded by its timeout; failures become SquallErrors. */
async function runLifecycle(
  name: 'setup' | 'teardown',
  fn: (data?: unknown) => unknown,
  data: unknown,
  timeoutMs: number,
  baseTags: Readonly<Record<string, string>>,
  sourcePath: string,
): Promise<unknown> {
  const groupPath = `::${name}`;
  const ctx = { vu: undefined, groupPath, tags: { ...baseTags, group: groupPath }, startDelayMs: 0 };
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      vuContextStorage.run(ctx, async () => fn(data)),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new SquallError('SQUALL_SCRIPT_EXCEPTION', `${name}() did not finish within ${timeoutMs} ms (${name}Timeout); raise it in options or make ${name}() faster`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (err) {
    if (err instanceof SquallError) throw err;
    if (err instanceof Error && err.name === 'TestAbort') throw new SquallError('SQUALL_SCRIPT_ABORTED', err.message);
    const { text } = errorText(err, sourcePath);
    throw new SquallError('SQUALL_SCRIPT_EXCEPTION', `${name}() failed: ${text}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
