import type { Command } from 'commander';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { utcMidnight } from '../backfill/day-plan.js';
import { ACTIVITY_MAPPING, loadMapping } from '../backfill/mapping.js';
import { runBackfill, type BackfillConfig, type BackfillProgress } from '../backfill/run-backfill.js';
import { EMBEDDED_REPLAY, startEmbeddedTarget } from './backfill-embedded.js';
import { exitCodeForError, ExitCode } from './exit-codes.js';
import type { CliIo } from './main.js';
import { parseIntFlag } from './parse-flags.js';

interface BackfillFlags {
  store?: string;
  events?: string;
  days?: string;
  tenants?: string;
  seed?: string;
  end?: string;
  bulkUntilDay?: string;
  batch?: string;
  replayUrl?: string;
  replayRate?: string;
  replayBatch?: string;
  mapping?: string;
  checkpoint?: string;
  quiet?: boolean;
}

const nf = new Intl.NumberFormat('en-US');

/** `phase [=====>   ]  42% 4,200,000/10,000,000  81,234/s  ETA 71s` */
export function formatBackfillProgress(p: BackfillProgress, startDone: number): string {
  const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const width = 24;
  const filled = Math.round(frac * width);
  const rate = p.elapsedMs > 0 ? ((p.done - startDone) / p.elapsedMs) * 1000 : 0;
  const eta = frac >= 1 ? 'done' : rate > 0 ? `ETA ${Math.ceil((p.total - p.done) / rate)}s` : 'ETA --';
  return `${p.phase.padEnd(6)} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${nf.format(p.done)}/${nf.format(p.total)}  ${nf.format(Math.round(rate))}/s  ${eta}`;
}

/** Turns the flags into a config, listing every problem (exit 104). */
export async function resolveBackfillFlags(f: BackfillFlags, nowMs: number): Promise<BackfillConfig> {
  const problems: ConfigProblem[] = [];
  if (f.store === undefined) problems.push({ path: '--store', message: 'is required: chdb:DIR (embedded ClickHouse) or http://HOST:8123 (a ClickHouse server)' });
  const events = parseIntFlag('--events', f.events ?? '', 1, problems);
  const days = parseIntFlag('--days', f.days ?? '', 1, problems);
  const tenants = parseIntFlag('--tenants', f.tenants ?? '50', 1, problems);
  const bulkUntilDay = parseIntFlag('--bulk-until-day', f.bulkUntilDay ?? '0', 0, problems);
  const batch = parseIntFlag('--batch', f.batch ?? '100000', 1, problems);
  const replayRate = parseIntFlag('--replay-rate', f.replayRate ?? '1000', 1, problems);
  const replayBatch = parseIntFlag('--replay-batch', f.replayBatch ?? '500', 1, problems);
  // The day grid ends at the UTC midnight after now (now itself when it is a midnight); today's
  // window is cut at now (runBackfill's cap), so no event lies in the future.
  const latestEndMs = utcMidnight(nowMs - 1) + 86_400_000;
  let endMs = latestEndMs;
  if (f.end !== undefined) {
    const t = Date.parse(f.end);
    if (!Number.isFinite(t) || utcMidnight(t) !== t) problems.push({ path: '--end', message: `must be a UTC midnight such as 2025-04-01T00:00:00Z, but is ${JSON.stringify(f.end)}` });
    else if (t > latestEndMs) problems.push({ path: '--end', message: `must be at most ${new Date(latestEndMs).toISOString()} (the end of today): a backfill writes only the past, but is ${f.end}` });
    else endMs = t;
  }
  if (days !== undefined && bulkUntilDay !== undefined && bulkUntilDay > days) problems.push({ path: '--bulk-until-day', message: `must be at most --days (${days}), but is ${bulkUntilDay}` });
  if (f.replayUrl !== undefined && f.replayUrl !== EMBEDDED_REPLAY && !/^https?:\/\//.test(f.replayUrl)) problems.push({ path: '--replay-url', message: `must be an http(s) URL such as http://127.0.0.1:8080/events/bulk, or embedded, but is ${JSON.stringify(f.replayUrl)}` });
  if (f.replayUrl !== undefined && bulkUntilDay === 0) problems.push({ path: '--replay-url', message: 'is given but --bulk-until-day is 0, so no day is replayed; set --bulk-until-day K to replay the K most recent days' });
  if (bulkUntilDay !== undefined && bulkUntilDay > 0 && f.replayUrl === undefined) problems.push({ path: '--bulk-until-day', message: `leaves ${bulkUntilDay} day(s) to replay, which needs --replay-url` });
  if (events !== undefined && days !== undefined && events < days) problems.push({ path: '--events', message: `must be at least --days (${days}) so every day has an event, but is ${events}` });
  if (problems.length > 0) throw new ConfigError(problems);
  const seed = f.seed ?? 'backfill';
  return {
    store: f.store as string,
    events: events as number,
    days: days as number,
    tenants: tenants as number,
    seed,
    bulkUntilDay: bulkUntilDay as number,
    endMs,
    capMs: nowMs,
    mapping: f.mapping === undefined ? ACTIVITY_MAPPING : await loadMapping(f.mapping),
    bulkBatchEvents: batch as number,
    replayUrl: f.replayUrl,
    replayRatePerSec: replayRate as number,
    replayBatchEvents: replayBatch as number,
    checkpointFile: f.checkpoint ?? `squall-backfill-${seed.replace(/[^A-Za-z0-9_.-]/g, '_')}.checkpoint.json`,
  };
}

/** Adds `squall backfill` to the program. */
export function registerBackfillCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('backfill')
    .description('Write history into a ClickHouse table from the audit generator: bulk insert for older days, replay through an ingest endpoint for recent ones; resumable')
    .option('--store <store>', 'chdb:DIR (embedded ClickHouse) or http://[user:password@]HOST:8123[/db]')
    .option('--events <n>', 'events in the whole history')
    .option('--days <n>', 'days of history, ending at --end')
    .option('--tenants <n>', 'control planes (tenants) the events come from', '50')
    .option('--seed <seed>', 'generator seed: the same seed and options give the same events and auditIDs', 'backfill')
    .option('--end <time>', 'exclusive end of the history, a UTC midnight, at most the end of today (default: the end of today, UTC; today\'s events all lie before the moment the backfill starts)')
    .option('--bulk-until-day <k>', 'replay the K most recent days through --replay-url; bulk-insert the older ones', '0')
    .option('--batch <n>', 'events per bulk insert', '100000')
    .option('--replay-url <url>', 'ingest endpoint for replayed days (NDJSON POST), e.g. http://127.0.0.1:8080/events/bulk; `embedded`: an activity target started in this process on --store')
    .option('--replay-rate <n>', 'replay rate in events per second', '1000')
    .option('--replay-batch <n>', 'events per replay request', '500')
    .option('--mapping <file>', 'JSON file mapping generator fields to your table\'s columns (default: the activity audit_events table)')
    .option('--checkpoint <file>', 'resume state (default: squall-backfill-SEED.checkpoint.json in the working directory)')
    .option('-q, --quiet', 'no progress bar')
    .addHelpText('after', '\nSee docs/backfill.md. Example:\n  squall backfill --store chdb:./activity-data --events 10000000 --days 90 --tenants 50')
    .action(async (flags: BackfillFlags) => {
      setExit(await backfill(flags, io));
    });
}

async function backfill(flags: BackfillFlags, io: CliIo): Promise<number> {
  let config: BackfillConfig;
  try {
    config = await resolveBackfillFlags(flags, Date.now());
  } catch (err) {
    io.stderr.write(`squall: ${(err as Error).message}\n`);
    return exitCodeForError(err);
  }
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true && flags.quiet !== true;
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let startDone: number | undefined;
  let lastDrawMs = -Infinity;
  let embedded: { ingestUrl: string; stop(): Promise<void> } | undefined;
  try {
    if (config.replayUrl === EMBEDDED_REPLAY) {
      embedded = await startEmbeddedTarget(config.store, () => undefined);
      config = { ...config, replayUrl: embedded.ingestUrl };
    }
    const result = await runBackfill(config, {
      signal: abort.signal,
      onProgress: (p) => {
        startDone ??= p.done;
        if (!tty || (p.elapsedMs - lastDrawMs < 200 && p.done < p.total)) return;
        lastDrawMs = p.elapsedMs;
        io.stderr.write(`\r\x1b[2K${formatBackfillProgress(p, startDone)}`);
      },
    });
    if (tty) io.stderr.write('\n');
    const s = result.elapsedMs / 1000;
    io.stdout.write(`backfill: ${nf.format(result.events)} events over ${config.days} days into ${config.mapping.table}: inserted ${nf.format(result.inserted)}, replayed ${nf.format(result.replayed)}, already there ${nf.format(result.skipped)}, in ${s.toFixed(1)} s (${nf.format(Math.round((result.inserted + result.replayed) / Math.max(s, 0.001)))} events/s)\n`);
    return ExitCode.ok;
  } catch (err) {
    if (tty) io.stderr.write('\n');
    io.stderr.write(`squall: ${(err as Error).message}\n`);
    return exitCodeForError(err);
  } finally {
    await embedded?.stop().catch(() => undefined);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
