/**
 * Threshold contracts. Grammar (k6's):
 *   threshold   := aggregation operator number
 *   aggregation := "count" | "rate" | "value" | "avg" | "min" | "max" | "med" | "p(" number ")"
 *   operator    := "<" | "<=" | ">" | ">=" | "==" | "===" | "!="
 * Keys of `options.thresholds` are a metric name optionally followed by a tag filter:
 *   http_req_duration{status:200,method:GET}
 */

export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

export interface ParsedThreshold {
  /** The expression as written by the user (the key in summary output). */
  readonly source: string;
  /** Summary value name it reads: `count`, `rate`, `value`, `avg`, `min`, `max`, `med`, `p(95)`. */
  readonly aggregation: string;
  readonly operator: ThresholdOperator;
  readonly value: number;
  readonly abortOnFail: boolean;
  /** Abort evaluation is skipped until this much of the test has run. */
  readonly delayAbortEvalMs: number;
}

export interface ThresholdTarget {
  /** The key as written: `http_req_duration{status:200}`. */
  readonly key: string;
  readonly metric: string;
  /** Empty for the whole metric; a sub-metric's tag filter otherwise. */
  readonly filter: Readonly<Record<string, string>>;
  readonly thresholds: readonly ParsedThreshold[];
}

export type ThresholdSet = readonly ThresholdTarget[];
