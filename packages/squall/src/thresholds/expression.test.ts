import { describe, expect, it } from 'vitest';
import { parseThresholdExpression } from './expression.js';

describe('parseThresholdExpression', () => {
  it.each([
    ['p(95)<500', 'p(95)', '<', 500],
    ['p(99.9) <= 1500', 'p(99.9)', '<=', 1500],
    ['p( 90 )>1', 'p(90)', '>', 1],
    ['p(95.0)<1', 'p(95)', '<', 1],
    ['p(0)>=0', 'p(0)', '>=', 0],
    ['p(100)<1e3', 'p(100)', '<', 1000],
    ['rate<0.01', 'rate', '<', 0.01],
    ['rate < .5', 'rate', '<', 0.5],
    ['count>10', 'count', '>', 10],
    ['value==3', 'value', '==', 3],
    ['value===3', 'value', '===', 3],
    ['avg!=-2', 'avg', '!=', -2],
    ['min>-1.5e-3', 'min', '>', -0.0015],
    ['max<+7', 'max', '<', 7],
    ['med>=2E2', 'med', '>=', 200],
    ['  avg\t<\t200  ', 'avg', '<', 200],
    ['avg<5.', 'avg', '<', 5],
  ])('%j parses', (src, aggregation, operator, value) => {
    expect(parseThresholdExpression(src)).toEqual({ aggregation, operator, value });
  });

  it.each([
    ['p95<500', 1, 'expected an aggregation such as avg, p(95), rate'],
    ['', 1, 'expected an aggregation'],
    ['avgg<5', 1, 'expected an aggregation'],
    ['AVG<5', 1, 'expected an aggregation'],
    ['  mean<5', 3, 'expected an aggregation'],
    ['<5', 1, 'expected an aggregation'],
    ['p()<5', 3, 'expected a percentile between 0 and 100'],
    ['p(101)<5', 3, 'but found 101'],
    ['p(-1)<5', 3, 'but found -1'],
    ['p(95<5', 5, 'expected ")"'],
    ['avg 500', 5, 'expected an operator'],
    ['avg=500', 4, 'expected an operator'],
    ['avg=>500', 4, 'expected an operator'],
    ['avg<', 5, 'expected a number'],
    ['avg<abc', 5, 'expected a number'],
    ['avg<1ms', 6, 'expected the end of the expression'],
    ['avg<1 2', 7, 'expected the end of the expression'],
    ['avg<<1', 5, 'expected a number'],
    ['avg<NaN', 5, 'expected a number'],
    ['avg<Infinity', 5, 'expected a number'],
  ])('%j fails at column %i', (src, column, expected) => {
    const r = parseThresholdExpression(src);
    expect(r).toMatchObject({ column });
    expect(r).toHaveProperty('expected', expect.stringContaining(expected));
  });
});
