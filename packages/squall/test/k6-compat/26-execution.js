import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';

export const options = { scenarios: { ids: { executor: 'per-vu-iterations', vus: 3, iterations: 2 } } };

export default function () {
  exec.vu.tags.color = 'blue';
  const res = http.get(`${__ENV.BASE}/echo`, { headers: { 'X-VU': String(__VU) } });
  check(res, {
    '__VU is the VU id': () => __VU === exec.vu.idInTest && __VU >= 1 && __VU <= 3,
    '__ITER counts per VU': () => __ITER === exec.vu.iterationInInstance && __ITER <= 1,
    scenario: () => exec.scenario.name === 'ids' && exec.scenario.executor === 'per-vu-iterations',
    instance: () => exec.instance.vusActive >= 1,
  });
}
