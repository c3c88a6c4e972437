/** A suite file after validation (see schema.ts). */
export interface Slo {
  readonly metric: string;
  readonly stat: string;
  readonly target: number;
  readonly warn?: number;
  readonly below?: boolean;
}

export interface SuiteRun {
  readonly name?: string;
  readonly script: string;
  readonly options?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly vus?: number;
  readonly duration?: string;
  readonly slo?: readonly Slo[];
  /** Merged into the run's options as `observe`. */
  readonly observe?: Record<string, unknown>;
  /** true: runs together with the adjacent tests marked true; a name: with the adjacent tests of that group. */
  readonly parallel?: boolean | string;
  readonly soak?: SoakGate;
}

export interface SoakGate {
  readonly gate?: boolean;
  readonly window?: string;
  readonly maxLatencyRise?: number;
  readonly maxErrorRisePoints?: number;
  readonly maxMemoryGrowth?: number;
  readonly latencyMetric?: string;
}

export interface SuiteEnvironment {
  readonly baseUrl?: string;
  readonly production?: boolean;
  readonly vars?: Record<string, string>;
  readonly slo?: Record<string, readonly Slo[]>;
}

export interface Recommendation {
  readonly test: string;
  readonly metric: string;
  readonly stat: string;
  readonly above: number;
  readonly text: string;
  readonly priority?: 'high' | 'medium' | 'low';
}

export interface Suite {
  readonly name: string;
  readonly description?: string;
  readonly environments?: Record<string, SuiteEnvironment>;
  readonly services?: readonly { name: string; activity?: Record<string, unknown>; command?: string }[];
  readonly ready?: readonly { name?: string; url: string; status?: number; timeout?: string }[];
  readonly smoke?: SuiteRun;
  readonly data?: { count: { url: string; field?: string; headers?: Record<string, string> }; min: number; events?: number; settle?: string; backfill: string };
  readonly tests: readonly (SuiteRun & { name: string })[];
  readonly report?: { dir?: string; recommendations?: readonly Recommendation[] };
  readonly archive?: { dir?: string; keep?: number; days?: number };
  readonly notify?: { slack?: string; webhook?: string; githubSummary?: boolean };
}

/** A suite as loaded: its content, the file it came from and its folder (scripts resolve against it). */
export interface LoadedSuite {
  readonly suite: Suite;
  readonly file: string;
  readonly dir: string;
}
