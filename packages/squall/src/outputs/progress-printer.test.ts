import { describe, expect, it } from 'vitest';
import type { ScenarioProgressView } from '../engine/progress.js';
import { formatElapsed, formatScenarioLine, ProgressPrinter, scenarioFraction } from './progress-printer.js';

const base: ScenarioProgressView = {
  name: 'api', executor: 'constant-vus', durationMs: 10_000, startTimeMs: 0, plannedIterations: undefined, maxVUs: 10,
  activeVUs: 4, allocatedVUs: 10, completed: 50, interrupted: 0, dropped: 0, done: false,
};

describe('progress printer', () => {
  it.each([
    [0, '0.0s'],
    [12_345, '12.3s'],
    [65_000, '1m05.0s'],
  ])('formats %d ms as %s', (ms, text) => expect(formatElapsed(ms)).toBe(text));

  it('measures progress by time, or by iterations when they are planned', () => {
    expect(scenarioFraction(base, 2_500)).toBeCloseTo(0.25);
    expect(scenarioFraction({ ...base, executor: 'shared-iterations', plannedIterations: 200 }, 9_000)).toBeCloseTo(0.25);
    expect(scenarioFraction({ ...base, done: true }, 0)).toBe(1);
  });

  it('shows VUs, iterations, rate, dropped and elapsed/total', () => {
    const line = formatScenarioLine({ ...base, dropped: 3 }, 5_000, false);
    expect(line).toContain('4/10 VUs');
    expect(line).toContain('50 iters 10.0/s');
    expect(line).toContain('3 dropped');
    expect(line).toContain('5.0s/10.0s');
    expect(line).toMatch(/\[=+> +\]/);
  });

  it('redraws in place on a terminal and prints plain lines sparingly otherwise', () => {
    const tty: string[] = [];
    const p = new ProgressPrinter({ write: (t) => tty.push(t), tty: true, color: false });
    p.update({ elapsedMs: 1000, scenarios: [base] });
    p.update({ elapsedMs: 2000, scenarios: [base] });
    expect(tty[1]).toMatch(/^\x1b\[1A/);

    const plain: string[] = [];
    const q = new ProgressPrinter({ write: (t) => plain.push(t), tty: false, color: false, plainEveryMs: 5000 });
    for (let t = 1000; t <= 9000; t += 1000) q.update({ elapsedMs: t, scenarios: [base] });
    q.update({ elapsedMs: 10_000, scenarios: [{ ...base, done: true }] });
    q.update({ elapsedMs: 10_100, scenarios: [{ ...base, done: true }] });
    expect(plain).toHaveLength(3);
    expect(plain[2]).toContain('done');
  });
});
