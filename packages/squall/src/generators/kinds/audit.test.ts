import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../line-buffer.js';
import type { LineSink } from '../line-sink.js';
import { openStream, resolveGenerator, type GeneratorConfig } from '../registry.js';
import { writeRecords } from '../write-records.js';
import type { AuditEvent } from './audit.js';

/** A sink that keeps only a hash and calls `onChunk`, so 1M events cost no memory. */
function hashingSink(onChunk?: (chunk: string) => void): LineSink & { digest(): string } {
  const h = createHash('sha1');
  let hex: string | undefined;
  return {
    closed: false,
    write(chunk) {
      h.update(chunk);
      onChunk?.(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8'));
      return undefined;
    },
    async finish() {},
    async abort() {},
    digest: () => (hex ??= h.digest('hex')),
  };
}

/** Reads the fields under test straight from the JSON text: parsing 1M events would dominate the test. */
function scan(chunk: string, visit: (auditID: string, verb: string, tenant: string) => void): void {
  let start = 0;
  while (start < chunk.length) {
    const end = chunk.indexOf('\n', start);
    let a = chunk.indexOf('"auditID":"', start) + 11;
    const id = chunk.slice(a, a + 36);
    a = chunk.indexOf('"verb":"', a) + 8;
    const verb = chunk.slice(a, chunk.indexOf('"', a));
    a = chunk.indexOf('scope.name":"', a) + 13;
    visit(id, verb, chunk.slice(a, chunk.indexOf('"', a)));
    start = end + 1;
  }
}

describe('audit generator', () => {
  it('over 1,000,000 events: verb shares within 1 point, every tenant, unique auditIDs, same bytes for the same seed', async () => {
    const config = resolveGenerator('audit', { tenants: '200', skew: 'zipf' }, 'cli', '');
    const count = 1_000_000;
    const verbs = new Map<string, number>();
    const tenants = new Set<string>();
    const ids = new Set<string>();
    const first = hashingSink((chunk) =>
      scan(chunk, (id, verb, tenant) => {
        verbs.set(verb, (verbs.get(verb) ?? 0) + 1);
        tenants.add(tenant);
        ids.add(id);
      }),
    );
    await writeRecords({ config, seed: '42', count, stream: 0, sink: first });
    const expected: Record<string, number> = { get: 40, list: 30, update: 15, create: 10, delete: 5 };
    expect([...verbs.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [verb, weight] of Object.entries(expected)) expect(Math.abs(((verbs.get(verb) ?? 0) / count) * 100 - weight)).toBeLessThan(1);
    expect(tenants.size).toBe(200);
    expect(ids.size).toBe(count);

    const second = hashingSink();
    await writeRecords({ config, seed: '42', count, stream: 0, sink: second });
    expect(second.digest()).toBe(first.digest());
    const other = hashingSink();
    await writeRecords({ config, seed: '43', count: 1000, stream: 0, sink: other });
    expect(other.digest()).not.toBe(first.digest());
  }, 60_000);

  it.each([
    [{}],
    [{ level: 'RequestResponse', errors4xx: '0.3', errors5xx: '0.1', verbs: 'get=1,patch=1,create=1,update=1,watch=1,list=1,delete=1' }],
    [{ level: 'Request', objectBytes: '100', users: 'human=1' }],
    [{ stages: 'all', verbs: 'watch=1,get=1' }],
  ])('serializes lines exactly as JSON.stringify of the objects (%j)', (raw) => {
    const config = resolveGenerator('audit', raw, 'cli', '');
    const ctx = { seed: 's', stream: 5, salt: 0, count: 5000 };
    const objects = openStream(config, ctx);
    const lines = openStream(config, ctx);
    const bytes = openStream(config, ctx);
    // A tiny buffer: every line makes the writer grow it, as a huge padded object does a chunk.
    const out = new LineBuffer(16);
    for (let i = 0; i < 5000; i++) {
      const expected = JSON.stringify(objects.next());
      expect(lines.nextLine?.()).toBe(expected);
      out.reset();
      bytes.writeLine?.(out);
      expect(out.text()).toBe(expected);
    }
  });

  it('writes lines larger than a write chunk whole, between the lines around them', async () => {
    const config = resolveGenerator('audit', { level: 'RequestResponse', objectBytes: '700000', verbs: 'create=1,get=1' }, 'cli', '');
    let text = '';
    const sink = hashingSink((chunk) => (text += chunk));
    const result = await writeRecords({ config, seed: 'big', count: 6, stream: 0, sink });
    const objects = openStream(config, { seed: 'big', stream: 0, salt: 0, count: 6 });
    const expected = Array.from({ length: 6 }, () => `${JSON.stringify(objects.next())}\n`).join('');
    expect(expected.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(text).toBe(expected);
    expect(result).toEqual({ records: 6, bytes: Buffer.byteLength(expected), truncated: false });
  });

  it('emits RequestReceived then ResponseComplete with one auditID per request when stages=all', () => {
    const config = resolveGenerator('audit', { stages: 'all', verbs: 'get=1' }, 'cli', '');
    const s = openStream(config, { seed: 's', stream: 0, salt: 0, count: 10 });
    const a = s.next() as AuditEvent;
    const b = s.next() as AuditEvent;
    expect([a.stage, b.stage]).toEqual(['RequestReceived', 'ResponseComplete']);
    expect(a.auditID).toBe(b.auditID);
    expect(a.responseStatus).toBeUndefined();
    expect(b.responseStatus?.code).toBeGreaterThanOrEqual(200);
  });

  it('answers about the configured share of requests with 4xx and 5xx', () => {
    const config: GeneratorConfig = resolveGenerator('audit', { errors4xx: 0.1, errors5xx: 0.05 }, 'script', 'audit()');
    const s = openStream(config, { seed: 'e', stream: 1, salt: 0, count: undefined });
    let c4 = 0;
    let c5 = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const code = (s.next() as AuditEvent).responseStatus?.code ?? 0;
      if (code >= 500) c5++;
      else if (code >= 400) c4++;
    }
    expect(Math.abs(c4 / n - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(c5 / n - 0.05)).toBeLessThan(0.01);
  });
});
