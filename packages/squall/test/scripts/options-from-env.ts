// Scenario options come from __ENV.SCENARIO (JSON) so one script serves many executor tests.
import { http, sleep } from 'squall';

export const options = JSON.parse(__ENV.OPTIONS ?? '{}');

export default async function () {
  if (__ENV.BASE_URL) await http.get(`${__ENV.BASE_URL}/${__ENV.URL_PATH ?? 'x'}`);
  const s = Number(__ENV.SLEEP ?? '0');
  if (s > 0) await sleep(s);
}
