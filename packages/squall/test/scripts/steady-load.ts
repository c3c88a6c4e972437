// Closed-model load on one endpoint whose latency the test's server controls (compare tests).
import { http } from 'squall';

export const options = { vus: 4, duration: __ENV.DURATION ?? '6s' };

export default async function () {
  await http.get(`${__ENV.BASE_URL}/work`);
}
