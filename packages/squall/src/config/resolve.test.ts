import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { formatSegment, formatSequence } from '../executors/segment.js';
import type { MetricType } from '../metrics/types.js';
import { DEFAULT_USER_AGENT, resolveOptions, type OptionOverrides } from './resolve.js';
import type { ResolvedScenario } from './types.js';

const noMetrics: ReadonlyMap<string, MetricType> = new Map();

function resolve(scriptOptions: unknown, overrides: OptionOverrides = {}) {
  return resolveOptions({ scriptOptions, overrides, knownMetrics: noMetrics });
}

function problemsOf(scriptOptions: unknown, overrides: OptionOverrides = {}): ConfigProblem[] {
  try {
    resolve(scriptOptions, overrides);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const common = { startTimeMs: 0, gracefulStopMs: 30_000, exec: 'default', env: {}, tags: {} };

describe('resolveOptions defaults', () => {
  it('applies every k6 default when there are no options', () => {
    const { options, warnings } = resolve(undefined);
    expect(warnings).toEqual([]);
    expect(options).toMatchObject({
      scenarios: [{ ...common, name: 'default', executor: 'shared-iterations', vus: 1, iterations: 1, maxDurationMs: 600_000 }],
      thresholds: [],
      summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'],
      summaryTimeUnit: null,
      discardResponseBodies: false,
      setupTimeoutMs: 60_000,
      teardownTimeoutMs: 60_000,
      tags: {},
      userAgent: DEFAULT_USER_AGENT,
      maxRedirects: 10,
      httpTimeoutMs: 60_000,
      expectedStatuses: [{ min: 200, max: 399 }],
      noConnectionReuse: false,
      insecureSkipTLSVerify: false,
      batch: 20,
      batchPerHost: 6,
      noColor: false,
    });
    expect(formatSegment(options.executionSegment)).toBe('0:1');
    expect(formatSequence(options.executionSegmentSequence)).toBe('0,1');
  });

  it('reads every top-level option', () => {
    const { options } = resolve({
      summaryTrendStats: ['avg', 'p(99.9)', 'count'],
      summaryTimeUnit: 'ms',
      discardResponseBodies: true,
      setupTimeout: '2m',
      teardownTimeout: 500,
      tags: { env: 'ci' },
      userAgent: '',
      maxRedirects: 0,
      httpTimeout: '1.5s',
      expectedStatuses: [200, { min: 300, max: 304 }],
      noConnectionReuse: true,
      insecureSkipTLSVerify: true,
      batch: 5,
      batchPerHost: 0,
      executionSegment: '1/4:1/2',
      noColor: true,
      thresholds: { http_req_duration: ['p(95)<500'] },
    });
    expect(options).toMatchObject({
      summaryTrendStats: ['avg', 'p(99.9)', 'count'],
      summaryTimeUnit: 'ms',
      discardResponseBodies: true,
      setupTimeoutMs: 120_000,
      teardownTimeoutMs: 500,
      tags: { env: 'ci' },
      userAgent: '',
      maxRedirects: 0,
      httpTimeoutMs: 1500,
      expectedStatuses: [200, { min: 300, max: 304 }],
      noConnectionReuse: true,
      insecureSkipTLSVerify: true,
      batch: 5,
      batchPerHost: 0,
      noColor: true,
    });
    expect(options.thresholds.map((t) => t.key)).toEqual(['http_req_duration']);
    expect(formatSequence(options.executionSegmentSequence)).toBe('0,1/4,1/2,1');
  });

  it('lets CLI overrides beat script options and merges tags', () => {
    const { options } = resolve(
      { userAgent: 'script', maxRedirects: 3, tags: { a: '1', b: '2' }, executionSegment: '0:1/2', summaryTimeUnit: 's' },
      { userAgent: 'cli', maxRedirects: 0, tags: { b: 'x', c: '3' }, executionSegment: '1/3:2/3', executionSegmentSequence: '0,1/3,2/3,1', noColor: true, httpTimeout: '5s' },
    );
    expect(options).toMatchObject({ userAgent: 'cli', maxRedirects: 0, tags: { a: '1', b: 'x', c: '3' }, noColor: true, httpTimeoutMs: 5000, summaryTimeUnit: 's' });
    expect(formatSegment(options.executionSegment)).toBe('1/3:2/3');
  });

  it('warns about ignored k6 options', () => {
    const { warnings } = resolve({ ext: { loadimpact: {} }, hosts: {}, systemTags: ['url'] });
    expect(warnings).toEqual([
      'option ext is a k6 option squall does not support; it is ignored',
      'option hosts is a k6 option squall does not support; it is ignored',
      'option systemTags is a k6 option squall does not support; it is ignored',
    ]);
  });
});

describe('shortcuts', () => {
  const scenariosOf = (o: unknown, ov: OptionOverrides = {}): readonly ResolvedScenario[] => resolve(o, ov).options.scenarios;

  it.each<[string, unknown, OptionOverrides, Partial<ResolvedScenario>]>([
    ['iterations', { iterations: 10 }, {}, { executor: 'shared-iterations', vus: 1, iterations: 10, maxDurationMs: 600_000 }],
    ['iterations + vus + duration', { iterations: 10, vus: 5, duration: '20s' }, {}, { executor: 'shared-iterations', vus: 5, iterations: 10, maxDurationMs: 20_000 }],
    ['duration', { duration: '30s' }, {}, { executor: 'constant-vus', vus: 1, durationMs: 30_000 }],
    ['duration + vus', { duration: '1m', vus: 7 }, {}, { executor: 'constant-vus', vus: 7, durationMs: 60_000 }],
    ['stages', { stages: [{ duration: '10s', target: 5 }] }, {}, { executor: 'ramping-vus', startVUs: 1, stages: [{ durationMs: 10_000, target: 5 }], gracefulRampDownMs: 30_000 }],
    ['stages + vus', { vus: 0, stages: [{ duration: '10s', target: 5 }] }, {}, { executor: 'ramping-vus', startVUs: 0 }],
    ['--vus overrides script vus', { duration: '30s', vus: 2 }, { vus: 4 }, { executor: 'constant-vus', vus: 4, durationMs: 30_000 }],
    ['--duration replaces script scenarios', { scenarios: { a: { executor: 'constant-vus', duration: '5s' } } }, { duration: '10s', vus: 3 }, { executor: 'constant-vus', vus: 3, durationMs: 10_000 }],
    ['--iterations replaces script stages, keeps script vus', { vus: 2, stages: [{ duration: '1s', target: 1 }] }, { iterations: 8 }, { executor: 'shared-iterations', vus: 2, iterations: 8 }],
    ['empty --stage list is no flag', { duration: '5s' }, { stages: [] }, { executor: 'constant-vus', durationMs: 5000 }],
    ['--stage strings', {}, { stages: ['1s:10,2s:0', '500ms:3'] }, { executor: 'ramping-vus', stages: [{ durationMs: 1000, target: 10 }, { durationMs: 2000, target: 0 }, { durationMs: 500, target: 3 }] }],
  ])('%s', (_name, script, overrides, expected) => {
    const scenarios = scenariosOf(script, overrides);
    expect(scenarios).toHaveLength(1);
    expect(scenarios[0]).toMatchObject({ name: 'default', ...expected });
  });

  it('warns that --duration replaces the script scenarios and that lone vus is ignored', () => {
    expect(resolve({ scenarios: { a: { executor: 'constant-vus', duration: '5s' } } }, { duration: '10s' }).warnings).toEqual([
      "the --duration flag replaces the script's scenarios",
    ]);
    expect(resolve({ vus: 10 }).warnings).toEqual(['vus is ignored: it only applies together with iterations, duration or stages']);
  });
});

describe('scenarios', () => {
  it('resolves each executor with k6 defaults', () => {
    const { options } = resolve({
      scenarios: {
        si: { executor: 'shared-iterations' },
        pvu: { executor: 'per-vu-iterations', vus: 3, iterations: 4, maxDuration: '1m', exec: 'other', env: { A: 'b' }, tags: { t: 'v' } },
        cv: { executor: 'constant-vus', duration: '10s', startTime: '5s', gracefulStop: 0 },
        rv: { executor: 'ramping-vus', stages: [{ duration: '1s', target: 2 }], gracefulRampDown: '1s' },
        car: { executor: 'constant-arrival-rate', rate: 10, duration: '1m', preAllocatedVUs: 2 },
        rar: { executor: 'ramping-arrival-rate', stages: [{ duration: 1000, target: 4 }], preAllocatedVUs: 1, maxVUs: 3, timeUnit: '1m' },
      },
    });
    expect(options.scenarios).toEqual([
      { ...common, name: 'si', executor: 'shared-iterations', vus: 1, iterations: 1, maxDurationMs: 600_000 },
      { ...common, name: 'pvu', executor: 'per-vu-iterations', vus: 3, iterations: 4, maxDurationMs: 60_000, exec: 'other', env: { A: 'b' }, tags: { t: 'v' } },
      { ...common, name: 'cv', executor: 'constant-vus', vus: 1, durationMs: 10_000, startTimeMs: 5000, gracefulStopMs: 0 },
      { ...common, name: 'rv', executor: 'ramping-vus', startVUs: 1, stages: [{ durationMs: 1000, target: 2 }], gracefulRampDownMs: 1000 },
      { ...common, name: 'car', executor: 'constant-arrival-rate', rate: 10, timeUnitMs: 1000, durationMs: 60_000, preAllocatedVUs: 2, maxVUs: 2 },
      { ...common, name: 'rar', executor: 'ramping-arrival-rate', startRate: 0, timeUnitMs: 60_000, stages: [{ durationMs: 1000, target: 4 }], preAllocatedVUs: 1, maxVUs: 3 },
    ]);
  });
});

describe('problems', () => {
  it('reports every problem across options, scenarios and thresholds together', () => {
    const problems = problemsOf(
      {
        vu: 3,
        summaryTrendStats: ['avg', 'p(101)', 'p95'],
        summaryTimeUnit: 'min',
        setupTimeout: '10',
        tags: { ok: 'x', bad: 3 },
        maxRedirects: -1,
        expectedStatuses: [200, 700, { min: 400, max: 300 }, { from: 1 }],
        batch: 0,
        executionSegment: '1/2:1/4',
        noColor: 'yes',
        thresholds: { http_req_duration: ['p95<500'], nope: ['count>1'] },
        scenarios: {
          api: { executor: 'constant-arrival-rate', rate: 0, duration: '500ms', preAllocatedVUs: 5, maxVUs: 2, vus: 3 },
          ramp: { executor: 'ramping-vus', stages: [{ duration: '10s', target: 5 }, { duration: 'x', target: -1 }] },
          iter: { executor: 'shared-iterations', vus: 5, iterations: 3, startTime: '-1s' },
          typo: { executor: 'constant-vu', duration: '1m' },
          none: { duration: '1m' },
          'bad name': { executor: 'constant-vus', duration: '1m', exec: '1fn' },
          rar: { executor: 'ramping-arrival-rate', stages: [], timeUnit: '0s' },
        },
      },
      { vus: 0, duration: undefined, executionSegmentSequence: '0,1/2,1/3,1' },
    );
    const paths = problems.map((p) => p.path);
    const expectPath = (path: string, message: string) => {
      const found = problems.filter((p) => p.path === path);
      expect(found.map((p) => p.message).join(' | '), `problem at ${path}`).toContain(message);
    };
    expectPath('vu', 'is not an option (did you mean "vus"?); valid options are: vus, duration');
    expectPath('summaryTrendStats[1]', 'but is "p(101)"');
    expectPath('summaryTrendStats[2]', 'but is "p95"');
    expectPath('summaryTimeUnit', 'must be one of s, ms, us, but is "min"');
    expectPath('setupTimeout', '(add a unit: "10s")');
    expectPath('tags.bad', 'must be a string, but is 3');
    expectPath('maxRedirects', 'must be at least 0, but is -1');
    expectPath('expectedStatuses[1]', 'must be between 100 and 599, but is 700');
    expectPath('expectedStatuses[2].max', 'must be at least min (400), but is 300');
    expectPath('expectedStatuses[3].from', 'a range has only min and max');
    expectPath('expectedStatuses[3].min', 'but is undefined');
    expectPath('batch', 'must be at least 1, but is 0');
    expectPath('executionSegment', 'the end (1/4) must be greater than the start (1/2)');
    expectPath('noColor', 'must be true or false, but is "yes"');
    expect(paths.some((p) => p.startsWith('thresholds["http_req_duration"]'))).toBe(true);
    expect(paths.some((p) => p.startsWith('thresholds["nope"]'))).toBe(true);
    expectPath('scenarios.api.rate', 'must be at least 1, but is 0');
    expectPath('scenarios.api.duration', 'must be at least 1s, but is "500ms"');
    expectPath('scenarios.api.maxVUs', 'must be at least preAllocatedVUs (5), but is 2');
    expectPath('scenarios.api.vus', 'is not an option of executor constant-arrival-rate');
    expectPath('scenarios.api.vus', 'valid options are: executor, startTime, gracefulStop, exec, env, tags, rate, timeUnit, duration, preAllocatedVUs, maxVUs');
    expectPath('scenarios.ramp.stages[1].duration', 'but is "x"');
    expectPath('scenarios.ramp.stages[1].target', 'must be at least 0, but is -1');
    expectPath('scenarios.iter.iterations', 'must be at least the number of VUs (5) for shared-iterations, but is 3');
    expectPath('scenarios.iter.startTime', 'must be at least 0s, but is "-1s"');
    expectPath('scenarios.typo.executor', 'must be one of shared-iterations, per-vu-iterations, constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate, but is "constant-vu" (did you mean "constant-vus"?)');
    expectPath('scenarios.none.executor', 'is required; use one of shared-iterations');
    expectPath('scenarios["bad name"]', 'may contain only letters, digits');
    expectPath('scenarios["bad name"].exec', 'must be the name of an exported function, but is "1fn"');
    expectPath('scenarios.rar.stages', 'must be a non-empty list of stages');
    expectPath('scenarios.rar.timeUnit', 'must be more than 0s, but is "0s"');
    expectPath('scenarios.rar.preAllocatedVUs', 'is required for executor ramping-arrival-rate');
    // --vus alone with scenarios is a warning, not a problem; the sequence flag is checked.
    expect(paths).not.toContain('--vus');
    expectPath('--execution-segment-sequence', 'strictly ascending, but 1/3 follows 1/2');
  });

  it.each<[string, unknown, OptionOverrides, [string, string][]]>([
    ['options not an object', 42, {}, [['options', 'must be an object, but is 42']]],
    ['shortcuts with scenarios', { duration: '1m', iterations: 3, scenarios: { a: { executor: 'constant-vus', duration: '1m' } } }, {}, [
      ['iterations', 'cannot be combined with scenarios'],
      ['duration', 'cannot be combined with scenarios'],
    ]],
    ['duration and stages', { duration: '1m', stages: [{ duration: '1s', target: 1 }] }, {}, [['stages', 'cannot be combined with duration']]],
    ['iterations and stages', { iterations: 2, stages: [{ duration: '1s', target: 1 }] }, {}, [['stages', 'cannot be combined with iterations']]],
    ['--duration with --stage', {}, { duration: '10s', stages: ['1s:1'] }, [['--stage', 'cannot be combined with --duration']]],
    ['bad CLI shortcut values', {}, { vus: 0, duration: '10' }, [
      ['--duration', 'add a unit'],
      ['--vus', 'must be at least 1, but is 0'],
    ]],
    ['bad --stage', {}, { stages: ['1s', '2s:x'] }, [
      ['--stage[0]', 'must be DURATION:TARGET such as "30s:10", but is "1s"'],
      ['--stage[1].target', 'must be an integer at least 0, but is "x"'],
    ]],
    ['iterations below vus (shortcut)', { iterations: 2, vus: 3 }, {}, [['iterations', 'must be at least the number of VUs (3) for shared-iterations, but is 2']]],
    ['duration below 1s (shortcut)', { duration: '0s' }, {}, [['duration', 'must be at least 1s, but is "0s"']]],
    ['ramping-vus all zero', { stages: [{ duration: '1s', target: 0 }], vus: 0 }, {}, [['stages', 'must have a target above 0 somewhere when startVUs is 0']]],
    ['stage extra key and missing target', { stages: [{ duration: '1s', vus: 3 }] }, {}, [
      ['stages[0].vus', 'is not a stage option'],
      ['stages[0].target', 'is required'],
    ]],
    ['empty scenarios', { scenarios: {} }, {}, [['scenarios', 'must be an object with at least one scenario']]],
    ['segment not in sequence', { executionSegment: '1/4:1', executionSegmentSequence: '0,1/4,1/2,1' }, {}, [
      ['executionSegment', 'must be one of the segments of the sequence 0,1/4,1/2,1 (consecutive values), but is 1/4:1'],
    ]],
    ['sequence too complex', { executionSegmentSequence: '0,1/1013,1/1009,1', executionSegment: '0:1/1013' }, {}, [
      ['executionSegmentSequence', 'use simpler fractions'],
    ]],
    ['arrival rate with zero VUs', { scenarios: { a: { executor: 'constant-arrival-rate', rate: 1, duration: '1m', preAllocatedVUs: 0 } } }, {}, [
      ['scenarios.a.preAllocatedVUs', 'must be at least 1 (or maxVUs must be), but both are 0'],
    ]],
    ['non-integer counts', { scenarios: { a: { executor: 'per-vu-iterations', vus: 1.5, iterations: '3' } } }, {}, [
      ['scenarios.a.vus', 'must be an integer at least 1, but is 1.5'],
      ['scenarios.a.iterations', 'must be an integer at least 1, but is "3"'],
    ]],
    ['scenario not an object', { scenarios: { a: 'constant-vus' } }, {}, [['scenarios.a', 'must be an object with an executor']]],
  ])('%s', (_name, script, overrides, expected) => {
    const problems = problemsOf(script, overrides);
    expect(problems.map((p) => [p.path, p.message]).sort()).toEqual(
      expected.map(([path, message]) => [path, expect.stringContaining(message)]).sort(),
    );
  });

  it('formats all problems into one error message', () => {
    let err: unknown;
    try {
      resolve({ batch: 0, scenarios: { a: { executor: 'constant-vus' } } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('SQUALL_CONFIG_INVALID');
    expect((err as ConfigError).message).toContain('invalid options (2 problems)');
    expect((err as ConfigError).message).toContain('scenarios.a.duration: is required for executor constant-vus');
  });
});
