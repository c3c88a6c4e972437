// Load for bench/regression-activity.mjs: 4 VUs posting generated audit events to the activity
// target's webhook for 6 s (closed model, so a slower target means fewer requests and higher latency).
import { check, http } from 'squall';
import { audit } from 'squall/generators';

const events = audit({ tenants: 10 });

export const options = { vus: 4, duration: '6s' };

export default async function () {
  const res = await http.post(`${__ENV.TARGET}/webhook`, JSON.stringify(events.next()), { headers: { 'content-type': 'application/json' } });
  check(res, { 'accepted (202)': (r) => r.status === 202 });
}
