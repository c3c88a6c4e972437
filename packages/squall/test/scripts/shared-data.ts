import { check, exec } from 'squall';
import { SharedArray } from 'squall/generators';

// Resolved next to this script, whatever the working directory.
const rows = SharedArray.fromFile<{ id: number; name: string }>('lib/data.jsonl');

export const options = { vus: 3, iterations: 9, thresholds: { checks: ['rate==1'] } };

export default async function () {
  const row = rows.at(exec.vu.iterationInScenario % rows.length);
  check(row, { 'row read from shared data': (r) => r !== undefined && r.id >= 1 && r.id <= 3 && rows.length === 3 });
}
