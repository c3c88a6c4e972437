import { describe, expect, it } from 'vitest';
import { SquallError } from '../errors.js';
import { parseDurationMs } from './duration.js';

describe('parseDurationMs', () => {
  it.each<[string | number, number]>([
    ['1h2m3.5s', 3_723_500],
    ['500ms', 500],
    ['100us', 0.1],
    ['100µs', 0.1],
    ['250ns', 0.00025],
    ['0', 0],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    ['-1s', -1000],
    [' 30s ', 30_000],
    [1500, 1500],
    [0.5, 0.5],
  ])('%j -> %d ms', (input, ms) => {
    expect(parseDurationMs(input)).toBeCloseTo(ms, 9);
  });

  it.each<[string | number, string]>([
    ['10', 'add a unit, e.g. "10s" or "10ms"'],
    ['abc', '"abc" is not a duration'],
    ['', '"" is not a duration'],
    ['1x', '"1x" is not a duration'],
    ['1s2', '"1s2" is not a duration'],
    [Number.NaN, 'finite number of milliseconds, but is NaN'],
    [Number.POSITIVE_INFINITY, 'but is Infinity'],
  ])('rejects %j', (input, message) => {
    expect(() => parseDurationMs(input)).toThrow(SquallError);
    expect(() => parseDurationMs(input)).toThrow(message);
  });
});
