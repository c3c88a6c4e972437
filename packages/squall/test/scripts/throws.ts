import { http } from 'squall';

export const options = { iterations: 20, vus: 2 };

export default async function () {
  await http.get(`${__ENV.BASE_URL}/ok`);
  throw new Error('boom in iteration');
}
