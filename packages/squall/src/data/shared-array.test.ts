import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { beforeEach, describe, expect, it } from 'vitest';
import { installSharedEntries, sharedEntries } from '../runtime/shared-registry.js';
import { parseCsv } from './csv.js';
import { SharedArray } from './shared-array.js';
import type { RecordStoreData } from './record-store.js';

const dir = mkdtempSync(join(tmpdir(), 'squall-shared-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

beforeEach(() => installSharedEntries({}));

describe('SharedArray', () => {
  it('reads JSONL (blank lines and CRLF skipped) and decodes a fresh object per read', () => {
    const path = file('a.jsonl', '{"id":1,"name":"ä"}\r\n\n  {"id":2,"tags":["x"]}\n{"id":3}');
    const arr = SharedArray.fromFile<{ id: number; name?: string }>(path);
    expect(arr.length).toBe(3);
    expect(arr[0]).toEqual({ id: 1, name: 'ä' });
    expect(arr.at(-1)).toEqual({ id: 3 });
    expect(arr.at(3)).toBeUndefined();
    expect([...arr].map((r) => r.id)).toEqual([1, 2, 3]);
    const a = arr.at(0)!;
    a.id = 99;
    expect(arr.at(0)!.id).toBe(1);
    expect(() => {
      (arr as unknown as Record<number, unknown>)[0] = {};
    }).toThrow(/read-only/);
  });

  it('reports the line of invalid JSONL', () => {
    const path = file('bad.jsonl', '{"ok":1}\n{"broken":\n');
    expect(() => SharedArray.fromFile(path)).toThrow(/line 2 is not valid JSON/);
  });

  it('reads CSV with quotes, embedded newlines and optional numbers', () => {
    const path = file('u.csv', 'user,score,note\r\nann,10,"says ""hi"", twice"\nbob,-2.5e1,"two\nlines"\n');
    expect(SharedArray.fromFile(path).at(0)).toEqual({ user: 'ann', score: '10', note: 'says "hi", twice' });
    const typed = SharedArray.fromFile(path, { name: 'typed', csv: { numbers: true } });
    expect(typed.at(1)).toEqual({ user: 'bob', score: -25, note: 'two\nlines' });
  });

  it('reads a JSON array file and rejects a non-array', () => {
    expect(SharedArray.fromFile(file('a.json', '[{"a":1},2,"x"]')).at(2)).toBe('x');
    expect(() => SharedArray.fromFile(file('o.json', '{"a":1}'))).toThrow(/must hold a JSON array/);
    expect(() => SharedArray.fromFile(file('x.txt', ''))).toThrow(/format: 'jsonl' \| 'csv' \| 'json'/);
  });

  it('calls a k6-style loader once per process; later constructions reuse the registered data', () => {
    let calls = 0;
    const load = () => {
      calls++;
      return [{ n: 1 }, { n: 2 }];
    };
    const first = new SharedArray('users', load);
    const second = new SharedArray('users', load);
    expect(calls).toBe(1);
    expect(second.at(1)).toEqual({ n: 2 });
    expect(first.length).toBe(2);
    expect(() => new SharedArray('bad', () => 5 as unknown as unknown[])).toThrow(/must return an array/);
  });

  it('hands workers the same memory: a worker reads it without loading, and sees no copy', async () => {
    const path = file('w.jsonl', Array.from({ length: 1000 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(50) })).join('\n'));
    const arr = SharedArray.fromFile<{ i: number }>(path, { name: 'w' });
    const entries = sharedEntries();
    const data = entries['squall.shared-array:w'] as RecordStoreData;
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const d = workerData['squall.shared-array:w'];
       const offsets = new Float64Array(d.offsets);
       const bytes = Buffer.from(d.bytes);
       const rec = JSON.parse(bytes.toString('utf8', offsets[500], offsets[501]));
       bytes[bytes.indexOf(0x78)] = 0x79; // an x becomes a y through shared memory: the main thread must see it
       parentPort.postMessage({ rec, isShared: d.bytes instanceof SharedArrayBuffer });`,
      { eval: true, workerData: entries },
    );
    const reply = await new Promise<{ rec: { i: number }; isShared: boolean }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(reply).toEqual({ rec: { i: 500, pad: 'x'.repeat(50) }, isShared: true });
    expect(arr.at(0)).toEqual({ i: 0, pad: `y${'x'.repeat(49)}` });
    expect(data.bytes.byteLength).toBeGreaterThan(50_000);
  });
});

describe('parseCsv', () => {
  it.each([
    ['a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['\ufeffa\r\n"x,y"\r\n\r\n', [['a'], ['x,y']]],
    ['a,b\n,\n', [['a', 'b'], ['', '']]],
    ['a\n"1"', [['a'], ['1']]],
  ])('%j', (text, rows) => {
    const out: string[][] = [];
    parseCsv(text, (f) => out.push(f));
    expect(out).toEqual(rows);
  });

  it('rejects an unclosed quote with its line', () => {
    expect(() => parseCsv('a\n"open\n', () => {})).toThrow(/line 2: a quoted field is never closed/);
  });
});
