import http from 'k6/http';
import { check } from 'k6';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';

const users = new SharedArray('users', function () {
  return JSON.parse(open('./data/users.json'));
});

export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 2, iterations: 6 } } };

export default function () {
  const user = users[exec.scenario.iterationInTest % users.length];
  const res = http.post(`${__ENV.BASE}/users/${user.name}`, JSON.stringify(user));
  check(res, { ok: (r) => r.status === 200, 'three users': () => users.length === 3 });
}
