import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { InsertPipeline } from '../src/backfill/insert-pipeline.js';

/** An insert that keeps each payload's text when called and resolves when told to. */
function fakeStore() {
  const calls: { text: string; bytes: Buffer; finish: (err?: Error) => void }[] = [];
  const insert = (bytes: Buffer) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ text: bytes.toString(), bytes, finish: (err) => (err ? reject(err) : resolve()) });
    });
  return { calls, insert };
}

describe('InsertPipeline', () => {
  it('writes the next batch while the previous one is inserted, never into the buffer being read', async () => {
    const store = fakeStore();
    const p = new InsertPipeline(store.insert);
    const done: number[] = [];
    p.buffer().string('a\n');
    await p.settle();
    p.start(async () => void done.push(1));
    // Batch 2 is written while insert 1 is still running.
    p.buffer().string('b\n');
    expect(store.calls.map((c) => c.text)).toEqual(['a\n']);
    const settled = p.settle();
    await sleep(5);
    expect(done).toEqual([]);
    store.calls[0]?.finish();
    await settled;
    expect(done).toEqual([1]);
    p.start(async () => void done.push(2));
    // Batch 3 reuses batch 1's buffer (its insert is done) and leaves batch 2's bytes alone.
    p.buffer().string('c\n');
    expect(store.calls[1]?.bytes.toString()).toBe('b\n');
    store.calls[1]?.finish();
    await p.drain();
    expect(done).toEqual([1, 2]);
    expect(p.waitMs).toBeGreaterThan(0);
  });

  it('keeps a failed insert for the next settle instead of an unhandled rejection', async () => {
    const store = fakeStore();
    const p = new InsertPipeline(store.insert);
    p.buffer().string('x\n');
    p.start(async () => {});
    store.calls[0]?.finish(new Error('disk full'));
    await sleep(5);
    await expect(p.settle()).rejects.toThrow('disk full');
    await expect(p.drain()).resolves.toBeUndefined();
  });
});
