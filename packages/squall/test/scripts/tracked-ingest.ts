// Posts generated audit events to the activity target and tracks each accepted one until it is
// queryable: ingest_lag, events_found / events_missing (test/pipeline-tracking.test.ts).
import { DeliveryTracker, activityLookup, check, http } from 'squall';
import { audit } from 'squall/generators';

const events = audit({ tenants: 3 });
const tracker = new DeliveryTracker('activity', {
  lookup: activityLookup({ url: __ENV.TARGET ?? '', token: __ENV.TOKEN ?? '' }),
  pollInterval: '200ms',
  drainTimeout: __ENV.DRAIN ?? '20s',
});

export const options = {
  scenarios: { ingest: { executor: 'shared-iterations', vus: 3, iterations: Number(__ENV.EVENTS ?? 60) } },
  thresholds: { events_missing: ['count==0'] },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)'],
};

export default async function () {
  const event = events.next();
  const res = await http.post(`${__ENV.TARGET}/webhook`, JSON.stringify(event), { headers: { 'content-type': 'application/json' } });
  if (check(res, { 'accepted (202)': (r) => r.status === 202 })) tracker.accepted(event.auditID);
}
