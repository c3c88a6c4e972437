export const options = {
  scenarios: {
    a: { executor: 'constant-arival-rate', rate: 10 },
    b: { executor: 'constant-vus', vus: -1, duration: '10s' },
    c: { executor: 'ramping-arrival-rate', stages: [], preAllocatedVUs: 1, rte: 3 },
  },
  thresholds: {
    http_req_duration: ['p95<500'],
    no_such_metric: ['count>1'],
  },
};

export default async function () {}
