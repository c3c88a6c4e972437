import { describe, expect, it } from 'vitest';
import type { MetricType } from '../metrics/types.js';
import { parseThresholds } from './parse.js';

const custom = new Map<string, MetricType>([
  ['my_trend', 'trend'],
  ['my_counter', 'counter'],
  ['my_gauge', 'gauge'],
  ['my_rate', 'rate'],
]);
const parse = (raw: unknown) => parseThresholds(raw, custom, 'thresholds');

describe('parseThresholds: valid input', () => {
  it('parses the k6 example, short and long forms, in key order', () => {
    const { set, problems } = parse({
      http_req_duration: ['p(95)<500', 'p(99)<1500'],
      http_req_failed: ['rate<0.01'],
      'http_req_duration{status:200,method:GET}': [
        { threshold: 'p(95)<300', abortOnFail: true, delayAbortEval: '10s' },
      ],
    });
    expect(problems).toEqual([]);
    expect(set).toEqual([
      {
        key: 'http_req_duration',
        metric: 'http_req_duration',
        filter: {},
        thresholds: [
          { source: 'p(95)<500', aggregation: 'p(95)', operator: '<', value: 500, abortOnFail: false, delayAbortEvalMs: 0 },
          { source: 'p(99)<1500', aggregation: 'p(99)', operator: '<', value: 1500, abortOnFail: false, delayAbortEvalMs: 0 },
        ],
      },
      {
        key: 'http_req_failed',
        metric: 'http_req_failed',
        filter: {},
        thresholds: [{ source: 'rate<0.01', aggregation: 'rate', operator: '<', value: 0.01, abortOnFail: false, delayAbortEvalMs: 0 }],
      },
      {
        key: 'http_req_duration{status:200,method:GET}',
        metric: 'http_req_duration',
        filter: { status: '200', method: 'GET' },
        thresholds: [
          { source: 'p(95)<300', aggregation: 'p(95)', operator: '<', value: 300, abortOnFail: true, delayAbortEvalMs: 10_000 },
        ],
      },
    ]);
  });

  it('accepts a single string instead of a list and keeps the source as written', () => {
    const { set, problems } = parse({ my_counter: ' count > 3 ' });
    expect(problems).toEqual([]);
    expect(set[0]?.thresholds[0]).toMatchObject({ source: ' count > 3 ', aggregation: 'count', value: 3 });
  });

  it('accepts a single long-form object instead of a list', () => {
    const { set, problems } = parse({ my_rate: { threshold: 'rate>0.5', abortOnFail: true } });
    expect(problems).toEqual([]);
    expect(set[0]?.thresholds[0]).toMatchObject({ source: 'rate>0.5', abortOnFail: true, delayAbortEvalMs: 0 });
  });

  it('treats undefined and null as no thresholds', () => {
    expect(parse(undefined)).toEqual({ set: [], problems: [] });
    expect(parse(null)).toEqual({ set: [], problems: [] });
  });

  it.each([
    ['http_reqs{status:200}', 'http_reqs', { status: '200' }],
    ['http_reqs{ status : 200 , method:GET }', 'http_reqs', { status: '200', method: 'GET' }],
    [' http_reqs {url:http://x/a:b}', 'http_reqs', { url: 'http://x/a:b' }],
    ['http_reqs{name:"login"}', 'http_reqs', { name: 'login' }],
    ["http_reqs{name:'login page'}", 'http_reqs', { name: 'login page' }],
    ['http_reqs{name:}', 'http_reqs', { name: '' }],
    ['my_counter{scenario:api}', 'my_counter', { scenario: 'api' }],
  ])('key %j -> %s %j', (key, metric, filter) => {
    const { set, problems } = parse({ [key]: ['count>0'] });
    expect(problems).toEqual([]);
    expect(set[0]).toMatchObject({ key, metric, filter });
  });

  it.each([
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['250us', 0.25],
    ['0', 0],
    [1500, 1500],
    [0, 0],
  ])('delayAbortEval %j -> %d ms', (delay, ms) => {
    const { set, problems } = parse({ my_rate: [{ threshold: 'rate>0.9', delayAbortEval: delay }] });
    expect(problems).toEqual([]);
    expect(set[0]?.thresholds[0]?.delayAbortEvalMs).toBe(ms);
  });

  it.each<[MetricType, string, string[]]>([
    ['counter', 'my_counter', ['count>1', 'rate>1']],
    ['gauge', 'my_gauge', ['value<5']],
    ['rate', 'my_rate', ['rate<0.1']],
    ['trend', 'my_trend', ['avg<1', 'min<1', 'max<1', 'med<1', 'p(50)<1', 'p(99.99)<1']],
  ])('%s accepts its aggregations', (_type, metric, exprs) => {
    const { problems } = parse({ [metric]: exprs });
    expect(problems).toEqual([]);
  });

  it('lets knownMetrics override a built-in type', () => {
    const { problems } = parseThresholds({ vus: ['avg<3'] }, new Map([['vus', 'trend']]), 'thresholds');
    expect(problems).toEqual([]);
  });
});

describe('parseThresholds: problems', () => {
  it.each<[string, unknown, string, string]>([
    ['short-form syntax', { http_req_duration: ['p95<500'] }, 'thresholds["http_req_duration"][0]',
      'cannot parse "p95<500" at column 1: expected an aggregation such as avg, p(95), rate'],
    ['single string syntax', { http_reqs: 'count>>1' }, 'thresholds["http_reqs"]', 'cannot parse "count>>1" at column 7: expected a number'],
    ['long-form syntax', { http_reqs: [{ threshold: 'count >' }] }, 'thresholds["http_reqs"][0].threshold', 'at column 8'],
    ['Trend with rate', { http_req_duration: ['rate<1'] }, 'thresholds["http_req_duration"][0]',
      'aggregation "rate" in "rate<1" does not apply to a Trend metric; use one of avg, min, max, med, p(N)'],
    ['Counter with avg', { http_reqs: ['avg<1'] }, 'thresholds["http_reqs"][0]', 'a Counter metric; use one of count, rate'],
    ['Gauge with avg', { vus: ['avg<1'] }, 'thresholds["vus"][0]', 'a Gauge metric; use one of value, min, max'],
    ['Rate with count', { checks: ['count>1'] }, 'thresholds["checks"][0]', 'a Rate metric; use one of rate'],
    ['Gauge with p(95)', { my_gauge: ['p(95)<1'] }, 'thresholds["my_gauge"][0]', 'a Gauge metric'],
    ['typo with suggestion', { http_req_duraton: ['p(95)<1'] }, 'thresholds["http_req_duraton"]',
      `metric "http_req_duraton" is neither built-in nor defined in the script's init code; did you mean "http_req_duration"?`],
    ['custom typo', { my_trnd: ['avg<1'] }, 'thresholds["my_trnd"]', 'did you mean "my_trend"?'],
    ['unknown, no suggestion', { zebra: ['avg<1'] }, 'thresholds["zebra"]', `neither built-in nor defined in the script's init code. Fix`],
    ['bad metric name', { '9lives': ['avg<1'] }, 'thresholds["9lives"]', 'must start with a metric name'],
    ['unclosed filter', { 'http_reqs{status:200': ['count>1'] }, 'thresholds["http_reqs{status:200"]', "without a closing '}'"],
    ['stray brace', { 'http_reqs}': ['count>1'] }, 'thresholds["http_reqs}"]', "'}' without a matching '{'"],
    ['empty filter', { 'http_reqs{}': ['count>1'] }, 'thresholds["http_reqs{}"]', 'empty tag filter'],
    ['entry without colon', { 'http_reqs{status}': ['count>1'] }, 'thresholds["http_reqs{status}"]', 'malformed tag filter entry "status"'],
    ['empty tag name', { 'http_reqs{:x}': ['count>1'] }, 'thresholds["http_reqs{:x}"]', 'malformed tag filter entry ":x"'],
    ['duplicate tag', { 'http_reqs{a:1,a:2}': ['count>1'] }, 'thresholds["http_reqs{a:1,a:2}"]', 'filters on tag "a" twice'],
    ['number entry', { http_reqs: 5 }, 'thresholds["http_reqs"]', 'must be an expression string or a list of them, but is number 5'],
    ['number item', { http_reqs: [5] }, 'thresholds["http_reqs"][0]', 'but is number 5'],
    ['NaN delay', { http_reqs: [{ threshold: 'count>1', delayAbortEval: Number.NaN }] }, 'thresholds["http_reqs"][0].delayAbortEval', 'but is number NaN'],
    ['missing threshold', { http_reqs: [{ abortOnFail: true }] }, 'thresholds["http_reqs"][0].threshold', 'but is missing'],
    ['bad abortOnFail', { http_reqs: [{ threshold: 'count>1', abortOnFail: 'yes' }] }, 'thresholds["http_reqs"][0].abortOnFail',
      'must be true or false, but is string "yes"'],
    ['bad delay string', { http_reqs: [{ threshold: 'count>1', delayAbortEval: '10 seconds' }] },
      'thresholds["http_reqs"][0].delayAbortEval', `but is string "10 seconds"`],
    ['bare delay number string', { http_reqs: [{ threshold: 'count>1', delayAbortEval: '10' }] },
      'thresholds["http_reqs"][0].delayAbortEval', 'must be a duration'],
    ['negative delay', { http_reqs: [{ threshold: 'count>1', delayAbortEval: -1 }] }, 'thresholds["http_reqs"][0].delayAbortEval', 'but is number -1'],
    ['unknown option', { http_reqs: [{ threshold: 'count>1', abortOnfail: true }] }, 'thresholds["http_reqs"][0].abortOnfail',
      'is not a threshold option'],
    ['not an object', ['p(95)<1'], 'thresholds', 'must be an object mapping metric names to expressions, but is a list'],
  ])('%s', (_name, raw, path, message) => {
    const { problems } = parse(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(path);
    expect(problems[0]?.message).toContain(message);
  });

  it('reports every problem, not only the first, and keeps the valid targets', () => {
    const { set, problems } = parse({
      http_req_duration: ['p95<500', 'p(95)<500', 'rate<1'],
      nope: ['avg<1'],
      'http_reqs{x}': ['count>1', 'count<'],
      my_rate: [{ threshold: 'rate<0.1', delayAbortEval: 'soon', extra: 1 }],
    });
    expect(problems.map((p) => p.path)).toEqual([
      'thresholds["http_req_duration"][0]',
      'thresholds["http_req_duration"][2]',
      'thresholds["nope"]',
      'thresholds["http_reqs{x}"]',
      'thresholds["http_reqs{x}"][1]',
      'thresholds["my_rate"][0].extra',
      'thresholds["my_rate"][0].delayAbortEval',
    ]);
    expect(set.map((t) => [t.key, t.thresholds.map((x) => x.source)])).toEqual([
      ['http_req_duration', ['p(95)<500']],
      ['nope', ['avg<1']],
    ]);
  });

  it('uses basePath for nested option paths', () => {
    const { problems } = parseThresholds({ http_reqs: ['x'] }, new Map(), 'scenarios.api.thresholds');
    expect(problems[0]?.path).toBe('scenarios.api.thresholds["http_reqs"][0]');
  });
});

describe('squall extensions', () => {
  it('accepts min and max on a Gauge (observed target series need them); k6 allows only value', () => {
    const { set, problems } = parseThresholds({ vus: ['max<10', 'min>=0', 'value<5'] }, new Map(), 'thresholds');
    expect(problems).toEqual([]);
    expect(set[0]?.thresholds.map((t) => t.aggregation)).toEqual(['max', 'min', 'value']);
  });
});
