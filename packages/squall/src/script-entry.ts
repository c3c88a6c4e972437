/** What a test script gets from `import ... from 'squall'`. */
export { http, sleep, check, group, fail, exec, env, Counter, Gauge, Rate, Trend } from './api/script-api.js';
export { textSummary } from './api/text-summary.js';
