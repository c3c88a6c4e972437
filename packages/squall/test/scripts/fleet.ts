import { http, Trend } from 'squall';

// A constant-arrival-rate test for the coordination tests (test/distributed-coordination.test.ts):
// the server numbers each /r request, and `served` records a value derived from that number, so
// one instance and a fleet of three see the same multiset of values.
const served = new Trend('served');

export const options = {
  scenarios: {
    load: { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE ?? 30), timeUnit: '1s', duration: __ENV.DURATION ?? '3s', preAllocatedVUs: 6 },
  },
  thresholds: __ENV.THRESHOLDS ? JSON.parse(__ENV.THRESHOLDS) : {},
};

export async function setup() {
  await http.get(`${__ENV.BASE_URL}/setup`);
  return { token: 'from-setup' };
}

export default async function (data: { token: string }) {
  const res = await http.get(`${__ENV.BASE_URL}/r?token=${data.token}`);
  served.add((Number(res.body) % 20) * 5 + 5);
}

export async function teardown(data: { token: string }) {
  await http.get(`${__ENV.BASE_URL}/teardown?token=${data.token}`);
}
