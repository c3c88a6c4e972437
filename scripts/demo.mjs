// `npm run demo`: seed 000's main job on one machine, nothing installed.
// 1. starts the activity target (webhook -> queue -> embedded ClickHouse -> query API) in-process,
// 2. backfills it with a week of audit history,
// 3. runs the steady-state scenario (examples/activity/steady-state.ts): ingestion and the
//    tenant/platform/complex query mix at once, tracking ingested events until queryable and
//    watching the target's own metrics, judged by seed 000's SLOs,
// 4. writes an HTML and a Markdown report and prints where they are.
// Knobs (environment): DEMO_DURATION (default 45s), DEMO_HISTORY_EVENTS (200000), DEMO_PLANES (50),
// DEMO_EVENTS_PER_PLANE (20/s), DEMO_QUERY_USERS (20), DEMO_RESULTS (results/demo-<time>).
// Exit code: squall's (0 when the thresholds hold, 99 when one fails).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startActivity } from 'squall-activity';
import { run } from 'squall';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'packages', 'squall', 'dist');
const { runBackfill } = await import(join(dist, 'backfill', 'run-backfill.js'));
const { ACTIVITY_MAPPING } = await import(join(dist, 'backfill', 'mapping.js'));
const { writeReports } = await import(join(dist, 'reports', 'index.js'));
const { formatSummary } = await import(join(dist, 'outputs', 'summary-text.js'));

const env = process.env;
const duration = env.DEMO_DURATION ?? '45s';
const historyEvents = Number(env.DEMO_HISTORY_EVENTS ?? 200_000);
const resultsDir = resolve(env.DEMO_RESULTS ?? join('results', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`));
const tty = Boolean(process.stdout.isTTY);
const step = (n, text) => process.stdout.write(`\n${tty ? '\x1b[1m' : ''}[${n}/4] ${text}${tty ? '\x1b[0m' : ''}\n`);

const storeDir = mkdtempSync(join(tmpdir(), 'squall-demo-store-'));
const stop = new AbortController();
let target;
let interrupted = false;
const onSignal = () => {
  if (interrupted) {
    // Second signal: quit now, but leave nothing behind (the target lives in this process).
    rmSync(storeDir, { recursive: true, force: true });
    process.exit(105);
  }
  interrupted = true;
  process.stdout.write('\nstopping: finishing the run gracefully and cleaning up (Ctrl+C again to quit at once)\n');
  stop.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

let exitCode = 1;
try {
  step(1, 'starting the activity target (in-process, embedded ClickHouse)');
  target = await startActivity({ port: 0, store: `chdb:${storeDir}`, queue: 'memory', platformToken: 'squall-demo' });
  process.stdout.write(`      listening on ${target.url}\n`);

  step(2, `backfilling ${historyEvents.toLocaleString('en-US')} audit events over the last 7 days`);
  const today = new Date();
  const endMs = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + 86_400_000;
  const t0 = performance.now();
  const backfill = await runBackfill(
    {
      store: `chdb:${storeDir}`, events: historyEvents, days: 7, tenants: Number(env.DEMO_PLANES ?? 50), seed: 'demo-history',
      bulkUntilDay: 0, endMs, mapping: ACTIVITY_MAPPING, bulkBatchEvents: 100_000,
      replayUrl: undefined, replayRatePerSec: 1000, replayBatchEvents: 500, checkpointFile: join(storeDir, 'backfill.checkpoint.json'),
    },
    { signal: stop.signal },
  );
  process.stdout.write(`      ${backfill.inserted.toLocaleString('en-US')} events stored in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

  step(3, `steady state for ${duration}: ingestion + query mix, tracking events until queryable, watching the target`);
  const result = await run({
    script: join(root, 'examples', 'activity', 'steady-state.ts'),
    env: {
      BASE_URL: target.url, TOKEN: target.platformToken, DURATION: duration,
      CONTROL_PLANES: env.DEMO_PLANES ?? '50', EVENTS_PER_PLANE: env.DEMO_EVENTS_PER_PLANE ?? '20', QUERY_USERS: env.DEMO_QUERY_USERS ?? '20',
      DRAIN: env.DEMO_DRAIN ?? '30s',
    },
    resultsDir,
    signal: stop.signal,
    events: {
      onWarning: (m) => process.stdout.write(`      warning: ${m}\n`),
      onPhase: (p) => p === 'recovering' && process.stdout.write('      load ended: waiting for the target\'s queue to drain (recovery)\n'),
      onInfo: (m) => process.stdout.write(`      ${m}\n`),
    },
  });
  exitCode = result.exitCode;
  process.stdout.write(`\n${formatSummary(result.summary, { color: tty, thresholdResults: [...result.thresholds] })}\n`);

  step(4, 'writing reports');
  const paths = await writeReports(resultsDir, ['html', 'markdown']);
  for (const p of paths) process.stdout.write(`      ${p}\n`);
  const failed = result.thresholds.filter((t) => !t.ok);
  if (result.interruption) process.stdout.write('\nstopped early by a signal: the figures cover the part that ran\n');
  process.stdout.write(
    failed.length === 0
      ? `\nall thresholds held (seed 000's SLOs). Open the HTML report: ${paths[0]}\n`
      : `\n${failed.length} threshold(s) failed: ${failed.map((t) => `${t.key} '${t.source}'`).join(', ')} (exit ${exitCode})\n`,
  );
} catch (err) {
  process.stderr.write(`demo failed: ${err?.message ?? err}\n`);
  exitCode = err?.code === 'SQUALL_CONFIG_INVALID' ? 104 : 1;
} finally {
  await target?.close().catch(() => {});
  rmSync(storeDir, { recursive: true, force: true });
}
process.exit(interrupted && exitCode === 0 ? 105 : exitCode);
