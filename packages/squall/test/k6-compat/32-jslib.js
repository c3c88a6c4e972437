import http from 'k6/http';
import { check } from 'k6';
import { randomIntBetween, randomItem, randomString, uuidv4, findBetween } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';
import papaparse from 'https://jslib.k6.io/papaparse/5.1.1/index.js';
import { URL } from 'https://jslib.k6.io/url/1.0.0/index.js';

const cities = papaparse.parse(open('./data/cities.csv'), { header: true, skipEmptyLines: true }).data;

export const options = { iterations: 2 };

export default function () {
  const n = randomIntBetween(1, 3);
  const city = randomItem(cities);
  const url = new URL(`${__ENV.BASE}/echo`);
  url.searchParams.append('city', city.city);
  const res = http.get(url.toString());
  check(res, {
    int: () => n >= 1 && n <= 3,
    csv: () => cities.length === 2 && (city.city === 'Oslo' || city.city === 'Lima'),
    string: () => /^[a-z0-9]{8}$/.test(randomString(8)),
    uuid: () => /^[0-9a-f-]{36}$/.test(uuidv4()),
    between: (r) => findBetween(r.body, '"city":"', '"') === city.city,
  });
}
