// Requests in setup, in VU code and in teardown: every one must be in the summary and the time series.
import { http } from 'squall';

export const options = { vus: 2, iterations: 10 };

export async function setup() {
  await http.get(`${__ENV.BASE_URL}/setup`);
}

export default async function () {
  await http.get(`${__ENV.BASE_URL}/vu`);
}

export async function teardown() {
  for (let i = 0; i < 3; i++) await http.get(`${__ENV.BASE_URL}/teardown`);
}
