import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKER_SEMI_SPACE_MIB } from '../src/engine/worker-heap.js';
import { runCliForSummary, tmpDir } from './helpers/cli.js';

describe('worker heap', () => {
  it("gives every worker a fixed young generation (V8 neither starts it small nor shrinks it)", async () => {
    const dir = tmpDir();
    const script = join(dir, 'heap.ts');
    // Each VU reports its thread's new-space size; two workers, so both are seen.
    writeFileSync(
      script,
      `import { getHeapSpaceStatistics } from 'node:v8';
import { Gauge } from 'squall';
const newSpace = new Gauge('new_space_bytes');
export const options = { vus: 2, iterations: 2 };
export default function () {
  const s = getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
  newSpace.add(s ? s.space_size : -1);
}
`,
    );
    const r = await runCliForSummary(['run', script, '--workers', '2', '--quiet', '--no-results'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const values = r.summary.metrics.new_space_bytes.values;
    // Two semi-spaces of the fixed size from the first iteration on (V8's default start is 1 MiB each).
    expect(values.min).toBeGreaterThanOrEqual(2 * WORKER_SEMI_SPACE_MIB * 1024 * 1024 * 0.9);
  });
});
