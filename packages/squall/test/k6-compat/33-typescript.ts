import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { check, sleep } from 'k6';
import { Options } from 'k6/options';

export const options: Options = { vus: 1, iterations: 3 };

interface Item {
  id: number;
}

function ids(res: RefinedResponse<ResponseType | undefined>): number[] {
  return (res.json('items') as unknown as Item[]).map((i: Item) => i.id);
}

export default function (): void {
  const res = http.get(`${__ENV.BASE}/json`);
  check(res, { 'typed ids': (r) => ids(r).join(',') === '1,2,3' });
  sleep(0.1);
}
