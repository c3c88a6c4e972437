import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';

/** The file an activity target keeps in its chdb directory while it has it open (packages/activity/src/chdb-store.ts). */
export const OWNER_FILE = 'squall-activity.owner.json';

/** The process that has a chdb directory open, as its owner file says, when that process is alive. */
export function chdbOwner(dir: string): { pid: number; url: string | null } | undefined {
  let owner: { pid?: unknown; url?: unknown };
  try {
    owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as typeof owner;
  } catch {
    return undefined;
  }
  const pid = owner.pid;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, owned by another user. ESRCH: a stale file from a killed target.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return { pid, url: typeof owner.url === 'string' ? owner.url : null };
}

/** The refusal (a --store problem, exit 104) when the directory is open in another process: what is wrong and what to run instead. */
export function storeBusyError(dir: string, owner: { pid: number; url: string | null } | undefined): ConfigError {
  const who = owner ? `a running activity target (pid ${owner.pid}${owner.url ? `, ${owner.url}` : ''})` : 'another process (an activity target?)';
  const ingest = owner?.url ? `${owner.url}/events/bulk` : 'http://127.0.0.1:8080/events/bulk';
  return new ConfigError([
    {
      path: '--store',
      message:
        `chdb:${dir} is open in ${who}; chdb lets one process at a time open a data directory, so this backfill cannot open it. ` +
        `Stop the target (Ctrl+C), then run this backfill; to replay recent days through the pipeline as well, give --bulk-until-day K --replay-url embedded, ` +
        `which replays them through an activity target started inside the backfill's own process on chdb:${dir}; then start the target again with --store chdb:${dir}. ` +
        `Or keep the data in a ClickHouse server, which any number of processes can share: start the target with --store http://HOST:8123 and run ` +
        `squall backfill --store http://HOST:8123 --bulk-until-day K --replay-url ${ingest} ...`,
    },
  ]);
}
