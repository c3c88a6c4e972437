import { describe, expect, it } from 'vitest';
import { vuContextStorage, type VuContext, type VuState } from '../runtime/vu-context.js';
import { ConfigError } from '../errors.js';
import { audit, components } from '../generators-entry.js';
import { openStream } from './registry.js';

function asVu<T>(idInTest: number, fn: () => T): T {
  const vu = { idInTest, idInInstance: idInTest } as unknown as VuState;
  const ctx: VuContext = { vu, groupPath: '', tags: {}, startDelayMs: 0 };
  return vuContextStorage.run(ctx, fn);
}

describe('generators in scripts', () => {
  it('gives each VU its own stream: unique auditIDs across VUs, repeatable per VU', () => {
    const gen = audit({ seed: 'vu-test', tenants: 10 });
    const ids = new Set<string>();
    for (let vu = 1; vu <= 50; vu++) for (const e of asVu(vu, () => gen.batch(200))) ids.add(e.auditID);
    expect(ids.size).toBe(10_000);

    const body = asVu(7, () => gen.ndjson(5));
    expect(body.split('\n')).toHaveLength(6);
    expect(body.endsWith('\n')).toBe(true);
  });

  it('derives a VU stream from seed, creation order and idInTest only, as every worker does', () => {
    // A fixed window: with the live clock (no from/to) two streams opened a millisecond apart differ in their timestamps.
    const window = { from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' };
    const gen = audit({ seed: 'repeat', ...window });
    const later = audit({ seed: 'repeat', ...window });
    expect(later.salt).toBe(gen.salt + 1);
    const expected = openStream(gen.config, { seed: 'repeat', stream: 3, salt: gen.salt, count: undefined });
    expect(asVu(3, () => gen.line())).toBe(expected.nextLine?.());
    // A generator created later gets another salt: its records differ.
    expect(asVu(3, () => later.line())).not.toBe(asVu(3, () => audit({ seed: 'repeat', ...window }).line()));
  });

  it('uses stream 0 outside VU code and stream idInTest inside', () => {
    const gen = components({ seed: 'streams' });
    expect(gen.next().NID).toBe(1);
    expect(asVu(2, () => gen.next()).NID).toBe(2 * 2 ** 24 + 1);
  });

  it('throws ConfigError naming script option keys', () => {
    expect(() => audit({ tenants: 0, skew: 'heavy' as 'zipf' })).toThrow(ConfigError);
    expect(() => audit({ tenants: 0 })).toThrow(/audit\(\)\.tenants: must be an integer >= 1/);
  });
});
