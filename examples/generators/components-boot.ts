// Seed 003 (Chamicore): seed the inventory first (setup posts SEED_COUNT components, 50,000 by
// default), then each VU registers fresh nodes of its own and fetches their boot scripts
// (the "register -> boot script" path). xnames, NIDs and MACs never collide across VUs.
//   node examples/hello-server.mjs &
//   npx squall run examples/generators/components-boot.ts
import { http, check } from 'squall';
import { components } from 'squall/generators';

export const options = {
  vus: 10,
  duration: '10s',
  setupTimeout: '120s',
  thresholds: { 'http_req_duration{name:bootscript}': ['p(99)<200'], http_req_failed: ['rate<0.001'] },
};

const BASE_URL = __ENV.BASE_URL ?? 'http://127.0.0.1:8080';
const SEED_COUNT = Number(__ENV.SEED_COUNT ?? 50_000);
const nodes = components({ seed: __ENV.SEED ?? 'chamicore-demo', roles: { Compute: 95, Application: 3, Management: 1, Storage: 1 } });

export async function setup() {
  // Stream 0 outside VU code: the same records `squall generate components --seed chamicore-demo` writes.
  for (let done = 0; done < SEED_COUNT; done += 1000) {
    const batch = nodes.batch(Math.min(1000, SEED_COUNT - done));
    const res = await http.post(`${BASE_URL}/hsm/v2/State/Components`, JSON.stringify({ Components: batch }), { headers: { 'content-type': 'application/json' }, tags: { name: 'seed' } });
    check(res, { 'seeded': (r) => r.status < 300 });
  }
}

export default async function () {
  const node = nodes.next();
  await http.post(`${BASE_URL}/hsm/v2/State/Components`, JSON.stringify({ Components: [node] }), { headers: { 'content-type': 'application/json' }, tags: { name: 'register' } });
  await http.post(`${BASE_URL}/boot/v1/bootparameters`, JSON.stringify({ macs: [node.MACAddress], ...node.BootParams }), { headers: { 'content-type': 'application/json' }, tags: { name: 'bootparams' } });
  const res = await http.get(`${BASE_URL}/boot/v1/bootscript?mac=${encodeURIComponent(node.MACAddress)}`, { tags: { name: 'bootscript' } });
  check(res, { 'boot script served': (r) => r.status === 200 });
}
