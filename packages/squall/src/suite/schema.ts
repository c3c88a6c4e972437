/**
 * JSON Schema of a suite file (`squall.suite.yaml`). Exported so editors can complete it
 * (`squall suite --schema > suite.schema.json`) and validated with ajv when a suite is loaded.
 */
const run = {
  type: 'object',
  additionalProperties: false,
  required: ['script'],
  properties: {
    name: { type: 'string', minLength: 1 },
    script: { type: 'string', minLength: 1 },
    options: { type: 'object' },
    env: { type: 'object', additionalProperties: { type: 'string' } },
    vus: { type: 'integer', minimum: 1 },
    duration: { type: 'string' },
    slo: { type: 'array', items: { $ref: '#/$defs/slo' } },
    observe: { type: 'object', description: "the run's `observe` option (docs/observe.md): the target's metrics or Prometheus queries watched during this test" },
    parallel: {
      type: ['boolean', 'string'],
      description: 'true: runs at the same time as the adjacent tests also marked true; a name: with the adjacent tests of the same group',
    },
    soak: {
      type: 'object',
      additionalProperties: false,
      description: "first-versus-last window and memory-slope analysis of this run (docs/suites.md); findings FAIL the test when gate is true, else WARN",
      properties: {
        gate: { type: 'boolean' },
        window: { type: 'string', description: 'length of the first and last window, e.g. 10m (default: a tenth of the run, at least 10s)' },
        maxLatencyRise: { type: 'number', minimum: 0, description: 'most relative p95 rise, first to last window (default 0.2)' },
        maxErrorRisePoints: { type: 'number', minimum: 0, description: 'most error-rate rise in percentage points (default 1)' },
        maxMemoryGrowth: { type: 'number', minimum: 0, description: 'most fitted growth of a mem/rss/heap gauge over the run (default 0.1)' },
        latencyMetric: { type: 'string', description: 'default http_req_duration' },
      },
    },
  },
} as const;


/** One environment (in the suite file, or in the separate file `environments:` names). */
export const ENVIRONMENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    baseUrl: { type: 'string' },
    production: { type: 'boolean' },
    vars: { type: 'object', additionalProperties: { type: 'string' } },
    slo: { type: 'object', additionalProperties: { type: 'array', items: { $ref: '#/$defs/slo' } } },
  },
} as const;

const SLO_DEFS = {
  slo: {
    type: 'object',
    additionalProperties: false,
    required: ['metric', 'stat', 'target'],
    properties: {
      metric: { type: 'string', description: 'metric name as in the summary, e.g. http_req_duration' },
      stat: { type: 'string', description: 'summary value: p(95), avg, rate, count, max ...' },
      target: { type: 'number', description: 'FAIL when actual crosses this' },
      warn: { type: 'number', description: 'WARN when actual crosses this but not target' },
      below: { type: 'boolean', description: 'true (default): actual must stay below target; false: above' },
    },
  },
} as const;

/** JSON Schema of a separate environments file (`environments: ./environments.yaml`). */
export const ENVIRONMENTS_FILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'squall suite environments',
  type: 'object',
  $defs: SLO_DEFS,
  additionalProperties: ENVIRONMENT_SCHEMA,
} as const;

export const SUITE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'squall suite',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'tests'],
  $defs: SLO_DEFS,
  properties: {
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9._-]+$' },
    description: { type: 'string' },
    environments: {
      description: 'the environments, or the path of a YAML file holding them (relative to the suite file)',
      type: ['string', 'object'],
      minLength: 1,
      additionalProperties: ENVIRONMENT_SCHEMA,
    },
    services: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string' },
          activity: { type: 'object', description: 'start the embedded activity target (squall-activity startActivity options)' },
          command: { type: 'string', description: 'a shell command line squall starts and stops' },
        },
      },
    },
    ready: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['url'],
        properties: {
          name: { type: 'string' },
          url: { type: 'string', description: '${BASE_URL} and environment vars are substituted' },
          status: { type: 'integer' },
          timeout: { type: 'string', description: 'e.g. 5s (default 10s)' },
        },
      },
    },
    smoke: run,
    data: {
      type: 'object',
      additionalProperties: false,
      required: ['count', 'min', 'backfill'],
      properties: {
        count: {
          type: 'object',
          additionalProperties: false,
          required: ['url'],
          properties: {
            url: { type: 'string' },
            field: { type: 'string', description: 'dotted path of the number in the JSON answer (default: count)' },
            headers: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
        min: { type: 'integer', minimum: 0 },
        events: { type: 'integer', minimum: 1, description: 'events the back-fill command writes: after it, the suite waits (up to settle) until the count has grown by this many' },
        settle: { type: 'string', description: 'after the back-fill, how long to wait for the count to reach min (and grow by events) while the target still inserts (default 30s)' },
        backfill: { type: 'string', description: 'shell command run when count < min' },
      },
    },
    tests: { type: 'array', minItems: 1, items: { ...run, required: ['name', 'script'] } },
    report: {
      type: 'object',
      additionalProperties: false,
      properties: {
        dir: { type: 'string' },
        recommendations: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['test', 'metric', 'stat', 'above', 'text'],
            properties: {
              test: { type: 'string' },
              metric: { type: 'string' },
              stat: { type: 'string' },
              above: { type: 'number' },
              text: { type: 'string' },
              priority: { enum: ['high', 'medium', 'low'] },
            },
          },
        },
      },
    },
    archive: {
      type: 'object',
      additionalProperties: false,
      properties: { dir: { type: 'string' }, keep: { type: 'integer', minimum: 1 }, days: { type: 'number', minimum: 0 } },
    },
    notify: {
      type: 'object',
      additionalProperties: false,
      properties: {
        slack: { type: 'string', description: 'Slack incoming webhook URL (or ${VAR})' },
        webhook: { type: 'string' },
        githubSummary: { type: 'boolean' },
      },
    },
  },
} as const;
