import { SquallError } from '../errors.js';

/** The part of `squall-activity` an embedded replay uses (loaded only then: the core does not depend on it). */
interface ActivityModule {
  startActivity(opts: Record<string, unknown>): Promise<{ url: string; waitIdle(timeoutMs?: number): Promise<boolean>; close(): Promise<void> }>;
}

/** `--replay-url embedded`: replay through an activity target started in this process. */
export const EMBEDDED_REPLAY = 'embedded';

const ACTIVITY_PACKAGE = 'squall-activity';

/**
 * Starts an activity target in this process on the backfill's own store, so replayed days go
 * through its whole pipeline (ingest, queue, batch writer) into the same chdb directory the bulk
 * days are written to: chdb lets one process open a directory, and in one process both share it.
 * Returns the ingest URL and a stop function that waits until everything accepted is stored.
 */
export async function startEmbeddedTarget(store: string, log: (line: string) => void): Promise<{ ingestUrl: string; stop(): Promise<void> }> {
  let mod: ActivityModule;
  try {
    mod = (await import(ACTIVITY_PACKAGE)) as ActivityModule;
  } catch (err) {
    throw new SquallError('SQUALL_USAGE', `--replay-url embedded needs the activity target, package ${ACTIVITY_PACKAGE}, which was not found; run \`npm install ${ACTIVITY_PACKAGE}\`, or give the ingest URL of a running target`, { cause: err });
  }
  const target = await mod.startActivity({ port: 0, store, log });
  return {
    ingestUrl: `${target.url}/events/bulk`,
    async stop() {
      await target.waitIdle(300_000);
      await target.close();
    },
  };
}
