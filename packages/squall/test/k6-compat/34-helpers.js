import { check } from 'k6';
import { byName, getItem, login, withRetry } from './lib/api.js';

export const options = { iterations: 1 };

const client = {
  fetch(id) {
    return getItem(__ENV.BASE, id);
  },
};

export default function () {
  login(__ENV.BASE, 'ann');
  const sorted = [{ name: 'b' }, { name: 'a' }].sort(byName);
  [1, 2].forEach((id) => getItem(__ENV.BASE, id));
  const statuses = [3, 4].map((id) => client.fetch(id).status);
  for (const id of [5, 6]) getItem(__ENV.BASE, id);
  const retried = withRetry(() => getItem(__ENV.BASE, 7), 3);
  check(null, {
    'sort comparator stays sync': () => sorted[0].name === 'a',
    'map awaited': () => statuses.join(',') === '200,200',
    'callback param awaited': () => retried.status === 200,
  });
}
