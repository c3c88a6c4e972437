import { http } from 'squall';
export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 200, timeUnit: '1s', duration: '3s', preAllocatedVUs: 200, maxVUs: 300, gracefulStop: '0s' } } };
export default async function () { await http.get('http://127.0.0.1:18920/'); }
