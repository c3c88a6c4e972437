import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileLimit, planConnections } from './connection-budget.js';

describe('connection budget', () => {
  it('reads the soft open-file limit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'limits-'));
    const file = join(dir, 'limits');
    writeFileSync(file, 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            20000                20000                files\n');
    expect(openFileLimit(file)).toBe(20000);
    writeFileSync(file, 'Max open files            unlimited            unlimited            files\n');
    expect(openFileLimit(file)).toBeUndefined();
    expect(openFileLimit(join(dir, 'missing'))).toBeUndefined();
    expect(openFileLimit()).toBeGreaterThan(0); // this machine's real limit
  });

  it.each([
    // requested, VUs, workers, fd limit -> per-origin cap per worker, warns?
    [undefined, 100, 2, 20000, undefined, false],
    [undefined, 20000, 2, 20000, 4744, true],
    [undefined, 9000, 2, 20000, undefined, false],
    [undefined, 20000, 1, 20000, 9488, true],
    [undefined, 20000, 2, undefined, undefined, false],
    [50, 20000, 2, 20000, 50, false],
  ])('requested %s, %d VUs on %d workers, limit %s -> %s', (requested, maxVus, workers, fdLimit, cap, warns) => {
    const plan = planConnections({ requested, maxVus, workers, fdLimit });
    expect(plan.perOriginPerWorker).toBe(cap);
    expect(plan.warning !== undefined).toBe(warns);
    if (warns) expect(plan.warning).toContain('--connections');
  });
});
