import { describe, expect, it } from 'vitest';
import { FaultInjector, parseFault } from '../src/faults.js';
import { parseNdjson, parseWebhook } from '../src/ingest-parse.js';
import { formatMicros, parseRfc3339Micros, parseTimeBound } from '../src/time.js';
import { auditEvent, ndjson } from './helpers.js';

const BASE = Date.UTC(2026, 0, 12, 10, 0, 0);

describe('parseNdjson', () => {
  it('reports every bad line with its number and field', () => {
    const good = JSON.stringify(auditEvent(1, 'org-a', BASE));
    const body = [good, '{"auditID": "x"', '', JSON.stringify({ ...auditEvent(2, 'org-a', BASE), verb: undefined }), JSON.stringify({ ...auditEvent(3, 'org-a', BASE), requestReceivedTimestamp: 'yesterday' }), JSON.stringify({ ...auditEvent(4, 'org-a', BASE), objectRef: { resource: 7 } })].join('\n');
    const r = parseNdjson(body, 0);
    expect(r.events).toHaveLength(1);
    expect(r.problems.map((p) => [p.line, p.field])).toEqual([
      [2, '(json)'],
      [4, 'verb'],
      [5, 'requestReceivedTimestamp'],
      [6, 'objectRef.resource'],
    ]);
  });

  it('keeps ResponseComplete only and counts the other stages', () => {
    const events = [auditEvent(1, 'a', BASE), auditEvent(2, 'a', BASE, { stage: 'RequestReceived' }), auditEvent(3, 'a', BASE, { stage: 'ResponseStarted' })];
    const r = parseNdjson(ndjson(events), 0);
    expect(r.events.map((e) => e.auditID)).toEqual(['a-1']);
    expect(r.filtered).toBe(2);
  });

  it('stores the row with a lower-cased scope type and microsecond time', () => {
    const r = parseNdjson(JSON.stringify(auditEvent(0, 'org-a', BASE)), 5);
    const row = JSON.parse(r.events[0]?.line ?? '{}');
    expect(row).toMatchObject({ auditID: 'org-a-0', scope_type: 'organization', scope_name: 'org-a', ts: '2026-01-12 10:00:00.000123', status_code: 404 });
  });
});

describe('parseWebhook', () => {
  it('takes one object or an array, numbering array items', () => {
    expect(parseWebhook(JSON.stringify(auditEvent(1, 'a', BASE)), 0).events).toHaveLength(1);
    const r = parseWebhook(JSON.stringify([auditEvent(1, 'a', BASE), { auditID: 'y' }]), 0);
    expect(r.problems).toEqual([{ line: 2, field: 'stage', message: 'is required' }]);
    expect(parseWebhook('[1', 0).problems[0]?.field).toBe('(json)');
  });
});

describe('time', () => {
  it.each([
    ['2026-01-12T10:00:00Z', '2026-01-12 10:00:00.000000'],
    ['2026-01-12T10:00:00.123456Z', '2026-01-12 10:00:00.123456'],
    ['2026-01-12T12:00:00.5+02:00', '2026-01-12 10:00:00.500000'],
    ['2026-01-12T10:00:00.123456789Z', '2026-01-12 10:00:00.123456'],
  ])('%s', (text, stored) => {
    expect(formatMicros(parseRfc3339Micros(text) as number)).toBe(stored);
  });
  it.each(['2026-02-31T00:00:00Z', '2026-01-12 10:00:00', 'now', '2026-01-12T25:00:00Z'])('refuses %s', (text) => {
    expect(parseRfc3339Micros(text)).toBeUndefined();
  });
  it('parses relative bounds', () => {
    expect(parseTimeBound('now-7d', 10 * 86400e3)).toBe(3 * 86400e6);
    expect(parseTimeBound('now', 1000)).toBe(1e6);
    expect(parseTimeBound('now+1s', 1000)).toBe(2e6);
    expect(parseTimeBound('now-7', 1000)).toBeUndefined();
  });
});

describe('faults', () => {
  it('parses every kind and names the rule when wrong', () => {
    expect(parseFault('latency=200ms@0.1')).toEqual({ kind: 'latency', delayMs: 200, share: 0.1 });
    expect(parseFault('stall=500ms/5s')).toEqual({ kind: 'stall', stallMs: 500, everyMs: 5000 });
    expect(parseFault('drop=100')).toEqual({ kind: 'drop', count: 100 });
    expect(parseFault('slow-insert=1s')).toEqual({ kind: 'slow-insert', delayMs: 1000 });
    expect(parseFault('insert-rate=2500')).toEqual({ kind: 'insert-rate', eventsPerSec: 2500 });
    expect(() => parseFault('insert-rate=0')).toThrow(/positive number of events per second, but is "0"/);
    expect(() => parseFault('error=2')).toThrow(/rate must be a number from 0 to 1, but is "2"/);
    expect(() => parseFault('stall=5s/1s')).toThrow(/0 < STALL < PERIOD/);
  });
  it('applies shares exactly, not by chance', () => {
    const f = new FaultInjector([parseFault('error=0.25'), parseFault('latency=10ms@0.5')], 0);
    const fails = Array.from({ length: 100 }, () => f.failRequest()).filter(Boolean).length;
    const delayed = Array.from({ length: 100 }, () => f.requestDelayMs(1)).filter((d) => d > 0).length;
    expect([fails, delayed]).toEqual([25, 50]);
  });
  it('stalls inside the window only', () => {
    const f = new FaultInjector([parseFault('stall=500ms/5s')], 0);
    expect([f.requestDelayMs(5100), f.requestDelayMs(5600)]).toEqual([400, 0]);
  });
});
