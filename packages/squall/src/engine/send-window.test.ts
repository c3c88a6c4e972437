import { describe, expect, it } from 'vitest';
import type { ResolvedScenario } from '../config/types.js';
import { sendWindowMs } from './send-window.js';

const timed = (startTimeMs: number, durationMs: number) => ({ executor: 'constant-vus', vus: 1, durationMs, startTimeMs }) as unknown as ResolvedScenario;
const counted = { executor: 'shared-iterations', vus: 1, iterations: 5, maxDurationMs: 600_000, startTimeMs: 0 } as unknown as ResolvedScenario;

describe('sendWindowMs', () => {
  it('ends at the planned end of the time-based scenarios, not after a gracefulStop drain', () => {
    expect(sendWindowMs({ durationMs: 3500, lastSentMs: 2995, scenarios: [timed(0, 3000)], stoppedAtMs: undefined })).toBe(3000);
    expect(sendWindowMs({ durationMs: 3500, lastSentMs: 2995, scenarios: [timed(0, 1000), timed(500, 2500)], stoppedAtMs: undefined })).toBe(3000);
  });

  it('reaches a request written after the planned end (an iteration due before it, started late)', () => {
    expect(sendWindowMs({ durationMs: 3100, lastSentMs: 3004, scenarios: [timed(0, 3000)], stoppedAtMs: undefined })).toBe(3004);
  });

  it('ends at a stop requested before the planned end, or at the last request after it', () => {
    expect(sendWindowMs({ durationMs: 1600, lastSentMs: 1400, scenarios: [timed(0, 30_000)], stoppedAtMs: 1500 })).toBe(1500);
    expect(sendWindowMs({ durationMs: 1600, lastSentMs: 1550, scenarios: [timed(0, 30_000)], stoppedAtMs: 1500 })).toBe(1550);
  });

  it('ends at the last request for iteration-based scenarios, and is the duration when nothing was sent', () => {
    expect(sendWindowMs({ durationMs: 900, lastSentMs: 610, scenarios: [counted], stoppedAtMs: undefined })).toBe(610);
    expect(sendWindowMs({ durationMs: 900, lastSentMs: undefined, scenarios: [counted], stoppedAtMs: undefined })).toBe(900);
  });

  it('is never longer than the test', () => {
    expect(sendWindowMs({ durationMs: 1200, lastSentMs: 100, scenarios: [timed(0, 30_000)], stoppedAtMs: undefined })).toBe(1200);
  });
});
