// Shared data: a JSONL file read once per process into shared memory and used by every VU of
// every worker without a copy each (k6's SharedArray, for large files).
// Make the file first (or use the small sample committed beside this script):
//   npx squall generate orders --count 100000 --seed orders --out examples/generators/data/orders.jsonl
//   node examples/hello-server.mjs &
//   npx squall run examples/generators/shared-orders.ts -e DATA=data/orders.jsonl   (paths resolve next to this script)
import { http, check, exec } from 'squall';
import { SharedArray, type OrderEvent } from 'squall/generators';

export const options = { vus: 10, duration: '10s' };

const BASE_URL = __ENV.BASE_URL ?? 'http://127.0.0.1:8080';
// Relative paths resolve against the working directory (run from the repository root).
const orders = SharedArray.fromFile<OrderEvent>(__ENV.DATA ?? 'data/orders-sample.jsonl');

export default async function () {
  const order = orders.at((exec.vu.idInTest * 7919 + exec.vu.iterationInInstance) % orders.length) as OrderEvent;
  const res = await http.post(`${BASE_URL}/api/orchestrator/events`, JSON.stringify(order), { headers: { 'content-type': 'application/json' } });
  check(res, { 'posted': (r) => r.status < 300 });
}
