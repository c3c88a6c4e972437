import type { ThresholdOperator } from './types.js';

/**
 * Threshold expression parser (k6's grammar):
 *   expression  := ws aggregation ws operator ws number ws
 *   aggregation := "count" | "rate" | "value" | "avg" | "min" | "max" | "med" | "p(" ws number ws ")"
 *   operator    := "<" | "<=" | ">" | ">=" | "==" | "===" | "!="
 *   number      := ["-" | "+"] (digits ["." digits*] | "." digits) [("e" | "E") ["-" | "+"] digits]
 *   ws          := (" " | "\t")*
 * A percentile must lie in [0, 100]. Names are case-sensitive, as in k6.
 */

/** A parsed expression; `aggregation` is normalised (`p(95.0)` -> `p(95)`). */
export interface ThresholdExpression {
  readonly aggregation: string;
  readonly operator: ThresholdOperator;
  readonly value: number;
}

/** Why an expression did not parse: 1-based column into the source and what was expected there. */
export interface ExpressionError {
  readonly column: number;
  readonly expected: string;
}

const PLAIN_AGGREGATIONS: ReadonlySet<string> = new Set(['count', 'rate', 'value', 'avg', 'min', 'max', 'med']);
// Longest first so `<=` wins over `<` and `===` over `==`.
const OPERATORS: readonly ThresholdOperator[] = ['===', '==', '!=', '<=', '>=', '<', '>'];
const NUMBER = /[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const WS = /[ \t]*/y;

const EXPECT_AGGREGATION = 'expected an aggregation such as avg, p(95), rate';
const EXPECT_OPERATOR = 'expected an operator: <, <=, >, >=, ==, ===, !=';
const EXPECT_NUMBER = 'expected a number such as 500, 0.01 or 1e3';

/** Formats a percentile aggregation the one way aggregators and thresholds both use: `p(99.9)`. */
export function percentileName(percent: number): string {
  return `p(${String(percent)})`;
}

/** Parses one threshold expression; pure, no allocation beyond the result. */
export function parseThresholdExpression(source: string): ThresholdExpression | ExpressionError {
  let pos = 0;
  const skipWs = (): void => {
    WS.lastIndex = pos;
    WS.test(source);
    pos = WS.lastIndex;
  };
  const readNumber = (): number | undefined => {
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(source);
    if (m === null) return undefined;
    pos = NUMBER.lastIndex;
    return Number(m[0]);
  };
  const fail = (at: number, expected: string): ExpressionError => ({ column: at + 1, expected });

  skipWs();
  const aggStart = pos;
  WORD.lastIndex = pos;
  const word = WORD.exec(source)?.[0];
  if (word === undefined) return fail(aggStart, EXPECT_AGGREGATION);
  pos += word.length;
  let aggregation: string;
  if (word === 'p') {
    skipWs();
    if (source[pos] !== '(') return fail(aggStart, EXPECT_AGGREGATION);
    pos++;
    skipWs();
    const numStart = pos;
    const percent = readNumber();
    if (percent === undefined) return fail(numStart, 'expected a percentile between 0 and 100, as in p(95)');
    if (!(percent >= 0 && percent <= 100)) {
      return fail(numStart, `expected a percentile between 0 and 100, but found ${source.slice(numStart, pos)}`);
    }
    skipWs();
    if (source[pos] !== ')') return fail(pos, 'expected ")" to close the percentile');
    pos++;
    aggregation = percentileName(percent);
  } else if (PLAIN_AGGREGATIONS.has(word)) {
    aggregation = word;
  } else {
    return fail(aggStart, EXPECT_AGGREGATION);
  }

  skipWs();
  const operator = OPERATORS.find((op) => source.startsWith(op, pos));
  if (operator === undefined) return fail(pos, EXPECT_OPERATOR);
  pos += operator.length;

  skipWs();
  const valueStart = pos;
  const value = readNumber();
  if (value === undefined) return fail(valueStart, EXPECT_NUMBER);
  skipWs();
  if (pos < source.length) return fail(pos, 'expected the end of the expression');
  return { aggregation, operator, value };
}

/** Narrows a parse outcome to the error case. */
export function isExpressionError(r: ThresholdExpression | ExpressionError): r is ExpressionError {
  return 'column' in r;
}
