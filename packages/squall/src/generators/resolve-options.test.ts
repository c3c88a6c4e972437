import { describe, expect, it } from 'vitest';
import { ConfigError, SquallError } from '../errors.js';
import { parseTime } from './resolve-options.js';
import { assertGeneratorKind, resolveGenerator } from './registry.js';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('generator options', () => {
  it.each([
    [{ tenants: '0' }, '--tenants: must be an integer >= 1 and <= 1000000, but is "0"'],
    [{ skew: 'pareto' }, '--skew: must be one of uniform, zipf, but is "pareto"'],
    [{ verbs: 'get=1,fetch=2' }, '--verbs: has unknown key "fetch"; valid keys: get, list, watch, create, update, patch, delete'],
    [{ verbs: 'get=0' }, '--verbs: needs at least one weight above 0'],
    [{ verbs: 'get' }, '--verbs: must be KEY=WEIGHT pairs'],
    [{ from: 'yesterday' }, '--from: must be an ISO 8601 time'],
    [{ from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, '--from: must be before --to'],
    [{ errors4xx: '0.7', errors5xx: '0.5' }, '--errors4xx: plus --errors5xx must be at most 1'],
    [{ objectBytes: '10' }, '--object-bytes: pads request/response objects'],
    [{ tenant: '5' }, '--tenant: is not an option of this generator; valid options: --tenants, --skew'],
  ])('rejects %j', (raw, message) => {
    const found = problems(() => resolveGenerator('audit', raw, 'cli', ''));
    expect(found.some((p) => p.startsWith(message))).toBe(true);
  });

  it('collects every problem at once, named as the script spells them', () => {
    const found = problems(() => resolveGenerator('orders', { customers: -1, currency: 'XYZ', colour: 'red' }, 'script', 'orders()'));
    expect(found).toHaveLength(3);
    expect(found.join('\n')).toContain('orders().colour: is not an option');
    expect(found.join('\n')).toContain('orders().customers: must be an integer >= 1');
  });

  it('gives the CLI fixed time defaults and scripts the live clock', () => {
    const cli = resolveGenerator('logs', {}, 'cli', '');
    const script = resolveGenerator('logs', {}, 'script', 'logs()');
    expect((cli.options as { from: number }).from).toBe(Date.parse('2025-01-01T00:00:00Z'));
    expect((script.options as { from: number | undefined }).from).toBeUndefined();
  });

  it('parses relative and absolute times', () => {
    const now = Date.parse('2025-06-01T00:00:00Z');
    expect(parseTime('-90d', now)).toBe(now - 90 * 86_400_000);
    expect(parseTime('now', now)).toBe(now);
    expect(parseTime('2025-01-01', now)).toBe(Date.parse('2025-01-01'));
    expect(parseTime(1_700_000_000_000, now)).toBe(1_700_000_000_000);
  });

  it('names the valid kinds for an unknown one', () => {
    expect(() => assertGeneratorKind('audits')).toThrow(SquallError);
    expect(() => assertGeneratorKind('audits')).toThrow(/valid kinds: audit, orders, logs, components, crud/);
  });
});
