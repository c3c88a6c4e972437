import { exec, http, sleep } from 'squall';

export const options = { vus: 2, duration: '20s' };

export default async function () {
  await http.get(`${__ENV.BASE_URL}/ok`);
  if (exec.vu.iterationInInstance >= 3) exec.test.abort('enough');
  await sleep(0.05);
}
