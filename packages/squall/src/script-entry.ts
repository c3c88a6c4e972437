/** What a test script gets from `import ... from 'squall'`. */
export { http, sleep, check, group, fail, exec, env, Counter, Gauge, Rate, Trend } from './api/script-api.js';
export { textSummary } from './api/text-summary.js';
export { DeliveryTracker, type DeliveryLookup, type DeliveryTrackerOptions } from './pipeline/delivery-tracker.js';
export { activityLookup, type ActivityLookupOptions } from './pipeline/activity-lookup.js';

declare global {
  /** The script's environment: the process environment plus `-e KEY=VALUE` flags. */
  // eslint-disable-next-line no-var
  var __ENV: Record<string, string | undefined>;
}
export { SharedArray } from './data/shared-array.js';
/** Seed 000's SLOs, declared once (src/slos): `thresholds: sloThresholds()` judges a run by them. */
export { ACTIVITY_SLOS, sloThresholds, sloThresholdExpr, formatSloLimit, type Slo } from './slos/index.js';
