import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_EVENTS_TABLE } from '../../activity/src/schema.js';
import { resolveBackfillFlags } from '../src/cli/backfill-command.js';
import { planDays } from '../src/backfill/day-plan.js';
import { ACTIVITY_MAPPING, loadMapping, parseMapping, selectRows } from '../src/backfill/mapping.js';
import { bulkInsertEvents, runBackfill, type BackfillConfig } from '../src/backfill/run-backfill.js';
import { ConfigError, SquallError } from '../src/errors.js';
import { runCli } from './helpers/cli.js';

// One chdb data directory for the whole file: chdb allows one per process.
const root = mkdtempSync(join(tmpdir(), 'squall-backfill-test-'));
const dataDir = join(root, 'data');
const END = Date.parse('2025-04-01T00:00:00Z');
let checkpoints = 0;

function config(over: Partial<BackfillConfig>): BackfillConfig {
  return {
    store: `chdb:${dataDir}`, events: 3000, days: 3, tenants: 5, seed: 't', bulkUntilDay: 0, endMs: END,
    mapping: ACTIVITY_MAPPING, bulkBatchEvents: 400, replayUrl: undefined, replayRatePerSec: 100_000, replayBatchEvents: 100,
    checkpointFile: join(root, `ck-${++checkpoints}.json`), ...over,
  };
}

async function sql(query: string): Promise<string> {
  const s = new Session(dataDir);
  try {
    return (await s.queryAsync(query, { format: 'TSV' })).text().trim();
  } finally {
    s.close();
  }
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('planDays', () => {
  it('spreads events over days, oldest first, bulk before replay, remainder to the recent days', () => {
    const days = planDays({ events: 10, days: 3, tenants: 1, seed: 's', bulkUntilDay: 1, endMs: END });
    expect(days.map((d) => [d.age, d.events, d.mode])).toEqual([[2, 3, 'bulk'], [1, 3, 'bulk'], [0, 4, 'replay']]);
    expect(days[2]?.toMs).toBe(END);
    expect(new Set(days.map((d) => d.stream)).size).toBe(3);
  });
});

describe('bulkInsertEvents', () => {
  it.each([
    [111_111, 100_000, 111_111],
    [150_000, 100_000, 150_000],
    [150_001, 100_000, 100_000],
    [250_000, 100_000, 100_000],
    [50_000, 100_000, 50_000],
    [1, 1, 1],
  ])('%i events left, batch %i: the next insert takes %i', (left, batch, n) => {
    expect(bulkInsertEvents(left, batch)).toBe(n);
  });
});

describe('bulk backfill into chdb', () => {
  it('fills every day window with distinct ids, and a second run inserts nothing', async () => {
    const c = config({ seed: 'bulk', checkpointFile: join(root, 'bulk.json') });
    const first = await runBackfill(c);
    expect(first.inserted).toBe(3000);
    const perDay = await sql(`SELECT toDate(ts), count(), uniqExact(auditID) FROM audit_events WHERE ts >= '2025-03-29' GROUP BY 1 ORDER BY 1`);
    expect(perDay).toBe('2025-03-29\t1000\t1000\n2025-03-30\t1000\t1000\n2025-03-31\t1000\t1000');
    const scopes = await sql(`SELECT uniqExact(scope_name), any(scope_type), min(status_code) > 0, countIf(event = '') FROM audit_events`);
    expect(scopes).toBe('5\ttenant\t1\t0');
    const again = await runBackfill({ ...c, checkpointFile: join(root, 'bulk-again.json') });
    expect(again).toMatchObject({ inserted: 0, skipped: 3000 });
    expect(await sql('SELECT count() FROM audit_events')).toBe('3000');
  });

  it('writes a day as one part that has the projection, and queries on the projection agree', async () => {
    // 1,100 events a day with batches of 1,000: the day's rest (100) joins the first insert.
    const r = await runBackfill(config({ seed: 'parts', endMs: Date.parse('2024-06-01T00:00:00Z'), events: 3300, bulkBatchEvents: 1000 }));
    expect(r.inserted).toBe(3300);
    expect(r.bulkGenerateMs).toBeGreaterThan(0);
    const days = "partition IN ('20240529', '20240530', '20240531')";
    expect(await sql(`SELECT partition, count() FROM system.parts WHERE table = 'audit_events' AND active AND ${days} GROUP BY partition ORDER BY partition`)).toBe('20240529\t1\n20240530\t1\n20240531\t1');
    expect(await sql(`SELECT count() FROM system.projection_parts WHERE table = 'audit_events' AND active AND name = 'platform_query_projection' AND ${days}`)).toBe('3');
    // (FINAL reads never use a projection, so the projection query reads the table plainly.)
    const hour = "SELECT count(), uniqExact(auditID), sum(status_code) FROM audit_events WHERE ts >= '2024-05-30 10:00:00' AND ts < '2024-05-30 12:00:00'";
    const viaProjection = await sql(`${hour} SETTINGS force_optimize_projection = 1, optimize_use_implicit_projections = 0`);
    expect(viaProjection).toBe(await sql(`${hour} SETTINGS optimize_use_projections = 0`));
    expect(Number(viaProjection.split('\t')[0])).toBeGreaterThan(0);
    expect(await sql("SELECT count() FROM audit_events FINAL WHERE ts >= '2024-05-29' AND ts < '2024-06-01'")).toBe('3300');
  });

  it('stops at a failed insert with the days before it checkpointed, while the next day was being generated', async () => {
    const file = join(root, 'checked.json');
    // A constraint that only the first day's events pass: the second day's insert fails in flight.
    writeFileSync(file, JSON.stringify({
      table: 'checked_events', idColumn: 'id', timeColumn: 'at',
      createTable: "CREATE TABLE IF NOT EXISTS checked_events (id String, at DateTime64(6, 'UTC'), CONSTRAINT first_day CHECK at < toDateTime64('2023-01-02 00:00:00', 6, 'UTC')) ENGINE = MergeTree ORDER BY at",
      columns: { id: { from: 'auditID' }, at: { from: 'requestReceivedTimestamp', type: "DateTime64(6, 'UTC')" } },
    }));
    const c = config({ seed: 'fail', mapping: await loadMapping(file), endMs: Date.parse('2023-01-04T00:00:00Z'), events: 900, bulkBatchEvents: 300 });
    await expect(runBackfill(c)).rejects.toMatchObject({ code: 'SQUALL_IO', message: expect.stringContaining('first_day') });
    expect(await sql('SELECT count(), uniqExact(id), max(at) < \'2023-01-02\' FROM checked_events')).toBe('300\t300\t1');
    const saved = JSON.parse(readFileSync(c.checkpointFile, 'utf8')) as { delivered: Record<string, number> };
    expect(saved.delivered).toEqual({ '2': 300 });
  });

  it('resumes after an interruption without duplicating an event', async () => {
    const end = Date.parse('2025-02-01T00:00:00Z');
    const abort = new AbortController();
    const c = config({ seed: 'resume', endMs: end, bulkBatchEvents: 250 });
    await expect(runBackfill(c, { signal: abort.signal, onProgress: (p) => { if (p.done >= 1000) abort.abort(); } })).rejects.toMatchObject({ code: 'SQUALL_INTERRUPTED' });
    const partial = Number(await sql(`SELECT count() FROM audit_events WHERE ts < '2025-02-01' AND ts >= '2025-01-29'`));
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(3000);
    const rest = await runBackfill(c);
    expect(rest.skipped).toBe(partial);
    expect(rest.inserted).toBe(3000 - partial);
    expect(await sql(`SELECT count(), uniqExact(auditID) FROM audit_events WHERE ts < '2025-02-01' AND ts >= '2025-01-29'`)).toBe('3000\t3000');
  });

  it('writes a custom table through a mapping file', async () => {
    const file = join(root, 'mapping.json');
    writeFileSync(file, JSON.stringify({
      table: 'my_events', idColumn: 'id', timeColumn: 'at',
      createTable: "CREATE TABLE IF NOT EXISTS my_events (id String, at DateTime64(6, 'UTC'), tenant String, code UInt16, raw String) ENGINE = MergeTree ORDER BY (tenant, at)",
      columns: { id: { from: 'auditID' }, at: { from: 'requestReceivedTimestamp', type: "DateTime64(6, 'UTC')" }, tenant: { from: ['annotations', 'platform.miloapis.com/scope.name'] }, code: { from: ['responseStatus', 'code'], type: 'UInt16' }, raw: { from: '$event' } },
    }));
    const mapping = await loadMapping(file);
    const r = await runBackfill(config({ seed: 'map', mapping, events: 600 }));
    expect(r.inserted).toBe(600);
    expect(await sql(`SELECT count(), uniqExact(id), countIf(tenant LIKE 'control-plane-%'), countIf(code >= 200), countIf(JSONExtractString(raw, 'auditID') = id) FROM my_events`)).toBe('600\t600\t600\t600\t600');
  });
});

describe('replay through an HTTP ingest endpoint', () => {
  let server: Server;
  let url = '';
  const lines: string[] = [];
  let requests = 0;
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        requests++;
        // The first request is refused as a full queue would be: the sender must retry it whole.
        if (requests === 1) {
          res.writeHead(429, { 'retry-after': '0' }).end('{"error":{"code":"ACTIVITY_QUEUE_FULL"}}');
          return;
        }
        lines.push(...body.split('\n').filter((l) => l !== ''));
        res.writeHead(202).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events/bulk`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('bulk-inserts old days, replays recent ones once each, and resumes replay from the checkpoint', async () => {
    const c = config({ seed: 'replay', endMs: Date.parse('2025-03-01T00:00:00Z'), bulkUntilDay: 1, replayUrl: url });
    const r = await runBackfill(c);
    expect(r).toMatchObject({ inserted: 2000, replayed: 1000 });
    const ids = lines.map((l) => (JSON.parse(l) as { auditID: string; requestReceivedTimestamp: string }));
    expect(new Set(ids.map((e) => e.auditID)).size).toBe(1000);
    expect(ids.every((e) => e.requestReceivedTimestamp.startsWith('2025-02-28'))).toBe(true);
    const bulkIds = await sql(`SELECT count() FROM audit_events WHERE auditID IN (${ids.slice(0, 50).map((e) => `'${e.auditID}'`).join(',')})`);
    expect(bulkIds).toBe('0');
    // The endpoint does not store, so only the checkpoint knows the replay happened: nothing is sent again.
    const again = await runBackfill(c);
    expect(again).toMatchObject({ inserted: 0, replayed: 0, skipped: 3000 });
    expect(lines.length).toBe(1000);
  });

  it('stops with the endpoint\'s answer on a non-retryable status', async () => {
    const bad = `${url.replace('/events/bulk', '')}/nope`;
    const s2 = createServer((_q, res) => res.writeHead(400).end('{"error":{"code":"ACTIVITY_BAD_REQUEST"}}'));
    await new Promise<void>((r) => s2.listen(0, '127.0.0.1', r));
    const u = `http://127.0.0.1:${(s2.address() as AddressInfo).port}/events/bulk`;
    try {
      await expect(runBackfill(config({ seed: 'bad', endMs: Date.parse('2025-01-10T00:00:00Z'), days: 1, events: 10, bulkUntilDay: 1, replayUrl: u }))).rejects.toThrow(/answered 400 .*ACTIVITY_BAD_REQUEST/);
    } finally {
      await new Promise<void>((r) => s2.close(() => r()));
    }
    expect(bad).toContain('nope');
  });
});

describe('options and files', () => {
  it('the built-in activity DDL is the target\'s own', () => {
    const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
    expect(norm(ACTIVITY_MAPPING.createTable ?? '')).toBe(norm(CREATE_EVENTS_TABLE));
  });

  it.each([
    [{}, ['--store', '--events', '--days']],
    [{ store: 'chdb:x', events: '5', days: '10' }, ['--events']],
    [{ store: 'chdb:x', events: '100', days: '10', bulkUntilDay: '3' }, ['--bulk-until-day']],
    [{ store: 'chdb:x', events: '100', days: '10', replayUrl: 'http://h/events/bulk' }, ['--replay-url']],
    [{ store: 'chdb:x', events: '100', days: '2', bulkUntilDay: '5', replayUrl: 'ftp://x' }, ['--bulk-until-day', '--replay-url']],
    [{ store: 'chdb:x', events: '100', days: '2', end: '2025-01-01T10:00:00Z' }, ['--end']],
  ])('flags %j are refused at %j', async (flags, paths) => {
    const err = await resolveBackfillFlags(flags, END).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect([...new Set((err as ConfigError).problems.map((p) => p.path))]).toEqual(paths);
  });

  it('lists every problem of a mapping file', () => {
    const err = (() => { try { parseMapping({ table: 'a b', idColumn: 'id', timeColumn: 'x', columns: { id: { from: 3 }, x: { from: 'a', type: 'String' } } }, 'm.json'); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.path)).toEqual(['m.json: table', 'm.json: columns.id.from', 'm.json: idColumn', 'm.json: timeColumn']);
  });

  it('reads every mapped path with one JSON parse, and falls back for a path that is also a parent', () => {
    const sql = selectRows({ ...ACTIVITY_MAPPING, columns: [...ACTIVITY_MAPPING.columns, { column: 'ref', source: ['objectRef'], type: 'String' }] }, 'src');
    expect(sql.match(/JSONExtract\(/g)).toHaveLength(2);
    expect(sql).toContain("JSONExtract(__squall_line, 'objectRef', 'String') AS ref");
    expect(sql).toContain("tupleElement(tupleElement(__squall_event, 'annotations'), 'platform.miloapis.com/scope.name') AS scope_name");
  });

  it('the CLI backfills in its own process, then finds everything there (exit 0), and lists bad flags (exit 104)', async () => {
    const cwd = mkdtempSync(join(root, 'cli-'));
    const args = ['backfill', '--store', `chdb:${join(cwd, 'data')}`, '--events', '300', '--days', '3', '--end', '2025-04-01T00:00:00Z', '--tenants', '3'];
    const first = await runCli(args, { cwd });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/inserted 300, replayed 0, already there 0/);
    const again = await runCli(args, { cwd });
    expect(again.stdout).toMatch(/inserted 0, replayed 0, already there 300/);
    const bad = await runCli(['backfill', '--store', 'chdb:x', '--events', 'many', '--days', '0'], { cwd });
    expect(bad.code).toBe(104);
    expect(bad.stderr).toContain('--events: must be an integer >= 1, but is "many"');
    expect(bad.stderr).toContain('--days: must be an integer >= 1, but is "0"');
  });

  it('refuses a checkpoint of another plan', async () => {
    const file = join(root, 'other.json');
    writeFileSync(file, JSON.stringify({ version: 1, plan: { events: 1, days: 1, tenants: 1, seed: 'x', bulkUntilDay: 0, endMs: END }, delivered: {} }));
    await expect(runBackfill(config({ checkpointFile: file }))).rejects.toThrow(SquallError);
    await expect(runBackfill(config({ checkpointFile: file }))).rejects.toThrow(/belongs to another backfill \(events 1 -> 3000, days 1 -> 3/);
  });
});
