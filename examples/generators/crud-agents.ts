// Seed 004 (Kaizen Studio): agent and pipeline CRUD in the 30/40/20/10 create/list/update/delete
// mix, with valid payloads; update and delete name entities this VU created before.
//   node examples/hello-server.mjs &
//   npx squall run examples/generators/crud-agents.ts
import { http, check } from 'squall';
import { crud } from 'squall/generators';

export const options = {
  vus: 5,
  duration: '10s',
  thresholds: { 'http_req_duration{name:crud}': ['p(95)<400'], http_req_failed: ['rate<0.02'] },
};

const BASE_URL = __ENV.BASE_URL ?? 'http://127.0.0.1:8080';
const ops = crud({ seed: __ENV.SEED ?? 'kaizen-demo', entities: { agents: 1, pipelines: 1 } });
const METHOD = { create: 'POST', list: 'GET', update: 'PUT', delete: 'DELETE' } as const;

export default async function () {
  const op = ops.next();
  const base = `${BASE_URL}/api/v1/${op.entity}`;
  const url = op.op === 'create' ? base : op.op === 'list' ? `${base}?limit=${op.query?.limit}&offset=${op.query?.offset}` : `${base}/${encodeURIComponent(op.key)}`;
  const res = await http.request(METHOD[op.op], url, op.body === undefined ? null : JSON.stringify(op.body), {
    headers: { 'content-type': 'application/json' },
    tags: { name: 'crud', op: op.op },
  });
  check(res, { 'crud ok': (r) => r.status < 300 });
}
